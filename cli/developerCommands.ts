import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { INSTALL_ROOT } from '../api/installRoot.js';

interface DeveloperCommandsModule {
  registerDeveloperCommands: (program: Command) => void;
}

const ownExtension = extname(fileURLToPath(import.meta.url));

/**
 * Where `demo`, `devstack` and `sim` are registered from: beside this module when the development
 * tooling was built with it (always so when running from the sources), else a checkout's sources
 * when this runs from a build inside a checkout; in the production image, nowhere.
 */
function developerCommandsEntry(): string | undefined {
  return [
    fileURLToPath(new URL(`../devstack/developerCommands${ownExtension}`, import.meta.url)),
    join(INSTALL_ROOT, 'devstack', 'developerCommands.ts'),
  ].find((path) => existsSync(path));
}

/**
 * Adds the developer commands where the development tooling is present. The path is computed, so
 * the compiler does not follow it into the production build, which leaves devstack/ and sim/ out.
 */
export async function registerDeveloperCommands(program: Command): Promise<void> {
  const entry = developerCommandsEntry();
  if (entry === undefined) return;
  // A build inside a checkout runs the tooling from its TypeScript sources.
  if (ownExtension === '.js' && entry.endsWith('.ts')) (await import('tsx/esm/api')).register();
  program.commandsGroup('Developer commands (in a checkout only):');
  // eslint-disable-next-line no-restricted-syntax -- the one reviewed way into devstack/: loaded only where it exists, never compiled into the product
  const developer = (await import(pathToFileURL(entry).href)) as DeveloperCommandsModule;
  developer.registerDeveloperCommands(program);
}
