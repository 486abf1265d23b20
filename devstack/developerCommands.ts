import type { Command } from 'commander';
import { registerSimCommand } from '../sim/simCommand.js';
import { registerDemoCommand } from './demo/demoCommand.js';
import { registerDevstackCommand } from './devstackCommand.js';

/**
 * The commands that drive the development tooling: `demo`, `devstack` and `sim`. The CLI loads this
 * module only when it is there (a checkout); the production build leaves it out.
 */
export function registerDeveloperCommands(program: Command): void {
  registerDemoCommand(program);
  registerDevstackCommand(program);
  registerSimCommand(program);
}
