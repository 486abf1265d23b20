#!/usr/bin/env node
import { buildProgram } from './program.js';

await (await buildProgram()).parseAsync(process.argv);
