import { access, chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { buildToolWithGo } from './buildToolWithGo.js';
import { runCommand } from './runCommand.js';
import { ToolUnavailableError } from './toolError.js';
import { toolSpecs, type ToolName, type ToolSpec } from './toolSpecs.js';

export interface ResolvedTool {
  path: string;
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
 * cache, a Go build from the module proxy, the official release download.
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
    return { path: fromEnv, source: 'env' };
  }
  const onPath = await findOnPath(spec.name);
  if (onPath) return { path: onPath, source: 'path' };
  const cached = cachedToolPath(spec);
  if (await isExecutable(cached)) return { path: cached, source: 'cache' };

  await mkdir(dirname(cached), { recursive: true });
  if (await findOnPath('go')) {
    progress(`${spec.name} ${spec.version}: not found; building it with Go (first run only)`);
    await buildToolWithGo(spec, cached, progress);
    return { path: cached, source: 'go-build' };
  }
  progress(`${spec.name} ${spec.version}: not found and no Go toolchain; downloading the official release`);
  await downloadTool(spec, cached, progress);
  return { path: cached, source: 'download' };
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

async function findOnPath(binary: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
