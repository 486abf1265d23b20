import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** No usable helm: the message names the flag, variable or PATH that was looked at. */
export class HelmNotFoundError extends Error {
  override name = 'HelmNotFoundError';
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The helm binary `worker boot` deploys the charts with: `--helm`, else `HELM_PATH`, else the first
 * `helm` on `PATH`. It never builds or downloads one (the image ships helm on PATH), and a flag or
 * variable naming something that is not an executable file is an error rather than skipped, so a
 * typo never silently picks another helm.
 */
export function findHelm(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined) {
    if (isExecutableFile(flag)) return flag;
    throw new HelmNotFoundError(`--helm ${JSON.stringify(flag)} is not an executable file`);
  }
  const fromEnv = env.HELM_PATH;
  if (fromEnv) {
    if (isExecutableFile(fromEnv)) return fromEnv;
    throw new HelmNotFoundError(`HELM_PATH ${JSON.stringify(fromEnv)} is not an executable file`);
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const onPath = dirs.map((dir) => join(dir, 'helm')).find(isExecutableFile);
  if (onPath !== undefined) return onPath;
  throw new HelmNotFoundError(
    'no helm found: pass --helm <path>, set HELM_PATH, or put helm on PATH (no executable helm in any of its folders)',
  );
}
