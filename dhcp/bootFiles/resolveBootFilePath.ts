import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export type BootFileRefusal = 'access-violation' | 'not-found';

export class BootFilePathError extends Error {
  constructor(
    readonly refusal: BootFileRefusal,
    readonly requested: string,
    detail: string,
  ) {
    super(`boot file "${requested}" refused: ${detail}`);
    this.name = 'BootFilePathError';
  }
}

/**
 * Checks a client-supplied name before it touches the file system: relative, no `..`, no
 * backslashes or control characters. Pure, so TFTP and HTTP refuse the same names.
 */
export function checkBootFileName(requested: string): string | undefined {
  if (requested === '') return 'empty file name';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\0-\x1f\\]/.test(requested)) return 'control characters and backslashes are not allowed';
  if (requested.startsWith('/')) return 'absolute paths are not allowed';
  if (requested.split('/').includes('..')) return '".." is not allowed';
  return undefined;
}

/**
 * The real path of a requested boot file inside `root`. Symbolic links are followed and the
 * result must still lie inside the (real) root, so a link cannot lead out of it.
 */
export async function resolveBootFilePath(root: string, requested: string): Promise<{ path: string; size: number }> {
  const problem = checkBootFileName(requested);
  if (problem) throw new BootFilePathError('access-violation', requested, problem);
  const realRoot = await realpath(root);
  let real: string;
  try {
    real = await realpath(path.join(realRoot, requested));
  } catch {
    throw new BootFilePathError('not-found', requested, 'no such file');
  }
  if (!real.startsWith(realRoot + path.sep))
    throw new BootFilePathError('access-violation', requested, 'resolves outside the boot file root');
  const info = await stat(real);
  if (!info.isFile()) throw new BootFilePathError('not-found', requested, 'not a regular file');
  return { path: real, size: info.size };
}
