import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The environment the container image gives its processes: the `ENV NAME=value` lines of the
 * Dockerfile. The benchmark runs the workers with it, so that it measures them as they are deployed.
 * Other forms of ENV (several pairs, quotes, `ENV NAME value`) fail by line rather than be misread.
 */
export function imageEnvironment(dockerfile: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [index, line] of dockerfile.split('\n').entries()) {
    if (!/^ENV\s/i.test(line)) continue;
    const pair = /^ENV\s+([A-Za-z_][A-Za-z0-9_]*)=([^\s"'\\$]*)\s*$/i.exec(line);
    if (!pair?.[1]) throw new Error(`Dockerfile line ${index + 1}: only "ENV NAME=value" is read, found "${line}"`);
    env[pair[1]] = pair[2] ?? '';
  }
  return env;
}

/** The image environment of the checkout at `root` (its Dockerfile). */
export function imageEnvironmentOf(root: string): Record<string, string> {
  return imageEnvironment(readFileSync(join(root, 'Dockerfile'), 'utf8'));
}
