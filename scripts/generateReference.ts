// Writes docs/reference.md (npm run reference); test/unit/docs/reference.test.ts keeps it current.
import { writeFile } from 'node:fs/promises';
import { renderReference } from './renderReference.js';

await writeFile(new URL('../docs/reference.md', import.meta.url), await renderReference());
