import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedToolPath, resolveTool } from '../../../devstack/resolveTool.js';
import { toolSpecs } from '../../../devstack/toolSpecs.js';
import { ToolVersionError } from '../../../devstack/toolVersion.js';

// Real PATH lookup and real exec: each "tool" is a small shell script that prints what the real
// binary prints, and only when called with that tool's version flag.
let root: string;
const saved = { ...process.env };

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'resolve-tool-'));
  process.env.XDG_CACHE_HOME = join(root, 'cache');
  delete process.env.ETCD_PATH;
  delete process.env.KUBECTL_PATH;
});

afterEach(async () => {
  process.env = { ...saved };
  await rm(root, { recursive: true, force: true });
});

async function fakeTool(file: string, versionArgs: string, output: string): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  // Shell builtins only: PATH holds just the test's folders.
  const script = `#!/bin/sh\n[ "$*" = "${versionArgs}" ] || exit 2\nprintf '%s\\n' '${output}'\n`;
  await writeFile(file, script);
  await chmod(file, 0o755);
  return file;
}

const etcd = (dir: string, version: string): Promise<string> =>
  fakeTool(
    join(root, dir, 'etcd'),
    '--version',
    `etcd Version: ${version}\nGit SHA: 1a2b3c\nGo Version: go1.24.9\nGo OS/Arch: linux/amd64`,
  );
const kubectl = (dir: string, version: string): Promise<string> =>
  fakeTool(join(root, dir, 'kubectl'), 'version --client', `Client Version: v${version}\nKustomize Version: v5.7.1`);

function usePath(...dirs: string[]): void {
  process.env.PATH = dirs.map((dir) => join(root, dir)).join(delimiter);
}

function collect(): { lines: string[]; progress: (line: string) => void } {
  const lines: string[] = [];
  return { lines, progress: (line) => lines.push(line) };
}

describe('resolveTool asks each candidate its version', () => {
  it('takes a binary on PATH of the needed minor and reports the version it printed', async () => {
    const path = await etcd('bin', '3.6.2');
    usePath('bin');
    await expect(resolveTool('etcd')).resolves.toEqual({ path, version: '3.6.2', source: 'path' });
  });

  it('skips a wrong version on PATH, says so, and goes on to the cache', async () => {
    const old = await etcd('debian', '3.4.23');
    const cached = cachedToolPath(toolSpecs.etcd);
    await etcd(join('cache', 'metal3-provider', 'tools', 'etcd', 'v3.6.6'), '3.6.6');
    usePath('debian');
    const { lines, progress } = collect();
    await expect(resolveTool('etcd', progress)).resolves.toEqual({ path: cached, version: '3.6.6', source: 'cache' });
    expect(lines).toEqual([`skipping ${old}: version 3.4.23, need 3.6.x`]);
  });

  it('goes on to the next PATH entry after a skipped one', async () => {
    await etcd('debian', '3.4.23');
    const good = await etcd('local', '3.6.6');
    usePath('debian', 'local');
    const { lines, progress } = collect();
    await expect(resolveTool('etcd', progress)).resolves.toMatchObject({ path: good, source: 'path' });
    expect(lines).toHaveLength(1);
  });

  it('skips a binary that prints no version, naming the command it ran', async () => {
    const odd = await fakeTool(join(root, 'odd', 'etcd'), '--version', 'usage: etcd [flags]');
    const good = await etcd('local', '3.6.0');
    usePath('odd', 'local');
    const { lines, progress } = collect();
    await expect(resolveTool('etcd', progress)).resolves.toMatchObject({ path: good, version: '3.6.0' });
    expect(lines).toEqual([`skipping ${odd}: no version in the output of \`etcd --version\`, need 3.6.x`]);
  });

  it('refuses a wrong version named by the environment variable, naming the variable and both versions', async () => {
    const old = await etcd('debian', '3.4.23');
    await etcd('local', '3.6.6');
    usePath('local');
    process.env.ETCD_PATH = old;
    const failure = resolveTool('etcd');
    await expect(failure).rejects.toBeInstanceOf(ToolVersionError);
    await expect(failure).rejects.toThrow(`ETCD_PATH=${old}: version 3.4.23, need 3.6.x`);
  });

  it('takes the version the environment variable names when it matches', async () => {
    const path = await etcd('chosen', '3.6.5');
    usePath();
    process.env.ETCD_PATH = path;
    await expect(resolveTool('etcd')).resolves.toEqual({ path, version: '3.6.5', source: 'env' });
  });

  it('accepts kubectl within one minor of the kube-apiserver and skips one further away', async () => {
    const tooOld = await kubectl('gcloud', '1.32.4-dispatcher');
    const tooNew = await kubectl('edge', '1.36.0');
    const older = await kubectl('older', '1.33.7');
    const newer = await kubectl('newer', '1.35.1');
    usePath('gcloud', 'edge', 'older');
    const { lines, progress } = collect();
    await expect(resolveTool('kubectl', progress)).resolves.toEqual({
      path: older,
      version: '1.33.7',
      source: 'path',
    });
    expect(lines).toEqual([
      `skipping ${tooOld}: version 1.32.4-dispatcher, need 1.33.x to 1.35.x`,
      `skipping ${tooNew}: version 1.36.0, need 1.33.x to 1.35.x`,
    ]);
    usePath('newer');
    await expect(resolveTool('kubectl')).resolves.toMatchObject({ path: newer, version: '1.35.1' });
  });
});
