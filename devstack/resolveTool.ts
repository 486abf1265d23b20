import { access, chmod, mkdir, mkdtemp, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { buildToolWithGo } from './buildToolWithGo.js';
import { runCommand } from './runCommand.js';
import { ToolUnavailableError } from './toolError.js';
import { toolSpecs, type ToolName, type ToolSpec } from './toolSpecs.js';
import {
  describeFound,
  neededVersion,
  readToolVersion,
  specVersion,
  ToolVersionError,
  versionAccepted,
} from './toolVersion.js';

export interface ResolvedTool {
  path: string;
  /** What the binary reported (environment variable, PATH), or the pinned version the cache and builds hold. */
  version: string;
  source: 'env' | 'path' | 'cache' | 'go-build' | 'download';
}

/** Cache of built or downloaded tools, keyed by tool and version. */
export function toolCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'metal3-provider', 'tools');
}

export function cachedToolPath(spec: ToolSpec): string {
  return join(toolCacheDir(), spec.name, spec.version, spec.name);
}

/**
 * Finds or provides a tool, in the same order for every tool: environment variable, PATH,
 * cache, a Go build from the module proxy, the official release download. A binary from the
 * environment variable or PATH is asked its version: one on PATH that does not match is skipped
 * (said through `progress`) and the lookup goes on; a wrong one named by the variable is an error,
 * since the user chose it. The cache is not asked: it holds only what this lookup built or
 * downloaded for that version.
 */
export async function resolveTool(
  name: ToolName,
  progress: (line: string) => void = () => undefined,
): Promise<ResolvedTool> {
  const spec = toolSpecs[name];
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    if (!(await isExecutable(fromEnv))) {
      throw new ToolUnavailableError(spec, `using ${spec.envVar}`, `${fromEnv} is not an executable file`);
    }
    const version = await readToolVersion(spec, fromEnv);
    if (!version || !versionAccepted(spec, version)) throw new ToolVersionError(spec, fromEnv, version);
    return { path: fromEnv, version: version.text, source: 'env' };
  }
  const onPath = await findMatchingOnPath(spec, progress);
  if (onPath) return { ...onPath, source: 'path' };
  const cached = cachedToolPath(spec);
  const pinned = specVersion(spec).text;
  if (await isExecutable(cached)) return { path: cached, version: pinned, source: 'cache' };

  await mkdir(dirname(cached), { recursive: true });
  if ((await executablesOnPath('go')).length > 0) {
    progress(`${spec.name} ${spec.version}: not found; building it with Go (first run only)`);
    await buildToolWithGo(spec, cached, progress);
    return { path: cached, version: pinned, source: 'go-build' };
  }
  progress(`${spec.name} ${spec.version}: not found and no Go toolchain; downloading the official release`);
  await downloadTool(spec, cached, progress);
  return { path: cached, version: pinned, source: 'download' };
}

async function downloadTool(spec: ToolSpec, output: string, progress: (line: string) => void): Promise<void> {
  const os = process.platform === 'darwin' ? 'darwin' : 'linux';
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const url = spec.downloadUrl(os, arch);
  progress(`${spec.name}: downloading ${url}`);
  let body: ArrayBuffer;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.arrayBuffer();
  } catch (err) {
    throw new ToolUnavailableError(spec, `download ${url}`, err instanceof Error ? err.message : String(err));
  }
  const member = spec.archiveMember?.(os, arch);
  if (!member) {
    await writeFile(`${output}.partial`, Buffer.from(body));
  } else {
    const dir = await mkdtemp(join(tmpdir(), `download-${spec.name}-`));
    try {
      const archive = join(dir, 'archive.tar.gz');
      await writeFile(archive, Buffer.from(body));
      const result = await runCommand('tar', ['-xzf', archive, '-C', dir, member]);
      if (result.code !== 0) throw new ToolUnavailableError(spec, `unpack ${member}`, result.stderr.trim());
      await rename(join(dir, member), `${output}.partial`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  await chmod(`${output}.partial`, 0o755);
  await rename(`${output}.partial`, output);
}

/** The first binary on PATH whose version matches; each one that does not is reported and skipped. */
async function findMatchingOnPath(
  spec: ToolSpec,
  progress: (line: string) => void,
): Promise<{ path: string; version: string } | undefined> {
  for (const candidate of await executablesOnPath(spec.name)) {
    const version = await readToolVersion(spec, candidate);
    if (version && versionAccepted(spec, version)) return { path: candidate, version: version.text };
    progress(`skipping ${candidate}: ${describeFound(spec, version)}, need ${neededVersion(spec)}`);
  }
  return undefined;
}

/** Executables of that name on PATH, in order; one reached twice (a symlinked /bin) is listed once. */
async function executablesOnPath(binary: string): Promise<string[]> {
  const found: string[] = [];
  const seen = new Set<string>();
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    if (!(await isExecutable(candidate))) continue;
    const target = await realpath(candidate);
    if (seen.has(target)) continue;
    seen.add(target);
    found.push(candidate);
  }
  return found;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
