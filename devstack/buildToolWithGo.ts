import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './runCommand.js';
import { ToolUnavailableError } from './toolError.js';
import type { ToolSpec } from './toolSpecs.js';

/**
 * Builds a tool from the Go module proxy inside a throwaway module. Kubernetes needs its staging
 * modules pinned: k8s.io/kubernetes requires them at v0.0.0 and replaces them with local paths,
 * which a dependent module cannot see, so each is replaced by its published v0.x version.
 */
export async function buildToolWithGo(spec: ToolSpec, output: string, progress: (line: string) => void): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `build-${spec.name}-`));
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  const go = async (step: string, args: string[]): Promise<string> => {
    progress(`${spec.name}: ${step}`);
    const result = await runCommand('go', args, {
      cwd: dir,
      env,
      progress: (l) => {
        progress(`  ${l}`);
      },
    });
    if (result.code !== 0) throw new ToolUnavailableError(spec, step, lastLines(result.stderr));
    return result.stdout;
  };
  try {
    await go('go mod init', ['mod', 'init', `build.local/${spec.name}`]);
    if (spec.goModule === 'k8s.io/kubernetes') await pinKubernetesStaging(spec, dir, go);
    await go(`go get ${spec.goPackage}@${spec.version}`, ['get', `${spec.goPackage}@${spec.version}`]);
    await go(`go build ${spec.goPackage} (this takes minutes)`, [
      'build',
      '-trimpath',
      `-ldflags=-s -w ${spec.goLdflags ?? ''}`.trim(),
      '-o',
      `${output}.partial`,
      spec.goPackage,
    ]);
    await rename(`${output}.partial`, output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function pinKubernetesStaging(
  spec: ToolSpec,
  dir: string,
  go: (step: string, args: string[]) => Promise<string>,
): Promise<void> {
  const info = JSON.parse(
    await go(`go mod download ${spec.goModule}@${spec.version}`, [
      'mod',
      'download',
      '-json',
      `${spec.goModule}@${spec.version}`,
    ]),
  ) as { GoMod?: string };
  if (!info.GoMod) throw new ToolUnavailableError(spec, 'go mod download', 'the module proxy returned no go.mod');
  const staging = [...(await readFile(info.GoMod, 'utf8')).matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\//gm)];
  const stagingVersion = spec.version.replace(/^v1\./, 'v0.');
  const replaces = staging.map((m) => `replace ${m[1] ?? ''} => ${m[1] ?? ''} ${stagingVersion}`).join('\n');
  const goMod = join(dir, 'go.mod');
  await writeFile(goMod, `${await readFile(goMod, 'utf8')}\n${replaces}\n`);
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-8).join('\n');
}
