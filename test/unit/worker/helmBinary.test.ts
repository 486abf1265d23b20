import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHelm, HelmNotFoundError } from '../../../worker/helmBinary.js';

// `worker boot` takes helm from --helm, then HELM_PATH, then PATH, and nothing else: in the image it
// must never try to build or fetch one. Real files in a temporary folder stand for the binaries.
let dir: string;
let flagHelm: string;
let envHelm: string;
let pathDirs: { empty: string; notExecutable: string; first: string; second: string };

async function script(path: string, mode: number): Promise<string> {
  await writeFile(path, '#!/bin/sh\nexit 0\n', { mode });
  await chmod(path, mode);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'helm-binary-'));
  pathDirs = {
    empty: join(dir, 'empty'),
    notExecutable: join(dir, 'not-executable'),
    first: join(dir, 'first'),
    second: join(dir, 'second'),
  };
  for (const path of Object.values(pathDirs)) await mkdir(path);
  await script(join(pathDirs.notExecutable, 'helm'), 0o644);
  await script(join(pathDirs.first, 'helm'), 0o755);
  await script(join(pathDirs.second, 'helm'), 0o755);
  // A folder named helm is not a helm.
  await mkdir(join(pathDirs.empty, 'helm'));
  flagHelm = await script(join(dir, 'helm-from-flag'), 0o755);
  envHelm = await script(join(dir, 'helm-from-env'), 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const PATH = () => [pathDirs.empty, pathDirs.notExecutable, pathDirs.first, pathDirs.second].join(delimiter);

describe('findHelm', () => {
  it('takes --helm first, then HELM_PATH, then the first executable helm on PATH', () => {
    expect(findHelm(flagHelm, { HELM_PATH: envHelm, PATH: PATH() })).toBe(flagHelm);
    expect(findHelm(undefined, { HELM_PATH: envHelm, PATH: PATH() })).toBe(envHelm);
    expect(findHelm(undefined, { PATH: PATH() })).toBe(join(pathDirs.first, 'helm'));
    expect(findHelm(undefined, { HELM_PATH: '', PATH: PATH() })).toBe(join(pathDirs.first, 'helm'));
  });

  it('refuses a --helm or HELM_PATH that is not an executable file instead of falling back', () => {
    const notExecutable = join(pathDirs.notExecutable, 'helm');
    expect(() => findHelm(notExecutable, { PATH: PATH() })).toThrow(
      new HelmNotFoundError(`--helm ${JSON.stringify(notExecutable)} is not an executable file`),
    );
    expect(() => findHelm(undefined, { HELM_PATH: pathDirs.first, PATH: PATH() })).toThrow(
      new HelmNotFoundError(`HELM_PATH ${JSON.stringify(pathDirs.first)} is not an executable file`),
    );
  });

  it('names all three places when there is no helm anywhere', () => {
    const PATH = [pathDirs.empty, pathDirs.notExecutable].join(delimiter);
    expect(() => findHelm(undefined, { PATH })).toThrow(
      new HelmNotFoundError(
        'no helm found: pass --helm <path>, set HELM_PATH, or put helm on PATH (no executable helm in any of its folders)',
      ),
    );
    expect(() => findHelm(undefined, {})).toThrow(HelmNotFoundError);
  });
});
