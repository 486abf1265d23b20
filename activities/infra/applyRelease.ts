import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppliedRelease, ReleaseRequest } from '../../contracts/infraContract.js';
import { chartArgs, chartIdentity, chartSource } from './chartSource.js';
import { runHelm, type HelmRunner } from './helmCommand.js';
import { releaseValues, sameValues, type Values } from './releaseValues.js';

export interface ReleaseDeps {
  runner: HelmRunner;
  /** The folder of the bundled charts. */
  chartsDir: string;
}

/** One row of `helm list -o json`. */
interface ListedRelease {
  name: string;
  namespace: string;
  revision: string;
  status: string;
  chart: string;
}

async function currentRelease(
  runner: HelmRunner,
  release: string,
  namespace: string,
  signal?: AbortSignal,
): Promise<ListedRelease | undefined> {
  const escaped = release.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const out = await runHelm(
    runner,
    ['list', '--namespace', namespace, '--all', '--filter', `^${escaped}$`, '-o', 'json'],
    signal,
  );
  return (JSON.parse(out) as ListedRelease[]).find((row) => row.name === release);
}

async function deployedValues(
  runner: HelmRunner,
  release: string,
  namespace: string,
  signal?: AbortSignal,
): Promise<Values> {
  const out = await runHelm(runner, ['get', 'values', release, '--namespace', namespace, '-o', 'json'], signal);
  return (JSON.parse(out) as Values | null) ?? {};
}

/**
 * `helm upgrade --install` of one component, unless the deployed release already has the same chart
 * version and the same values: then nothing is touched and the revision stays. Values reach helm
 * through a private temporary file and are never logged.
 */
export async function applyRelease(
  deps: ReleaseDeps,
  request: ReleaseRequest,
  signal?: AbortSignal,
): Promise<AppliedRelease> {
  const { runner } = deps;
  const { release, namespace } = request;
  const values = releaseValues(request);
  const source = chartSource(request.component, request.chartOverrides, deps.chartsDir);
  const chart = await chartIdentity(source, runner, signal);
  const current = await currentRelease(runner, release, namespace, signal);
  if (current?.status === 'deployed' && current.chart === chart) {
    if (sameValues(await deployedValues(runner, release, namespace, signal), values))
      return { release, namespace, change: 'unchanged', revision: Number(current.revision), chart };
  }
  const dir = await mkdtemp(join(tmpdir(), 'helm-values-'));
  try {
    const valuesFile = join(dir, 'values.json');
    await writeFile(valuesFile, JSON.stringify(values), { mode: 0o600 });
    const out = await runHelm(
      runner,
      [
        'upgrade',
        '--install',
        release,
        ...chartArgs(source),
        '--namespace',
        namespace,
        '--create-namespace',
        '-f',
        valuesFile,
        '-o',
        'json',
      ],
      signal,
    );
    const applied = JSON.parse(out) as { version: number };
    return { release, namespace, change: current ? 'upgraded' : 'installed', revision: applied.version, chart };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The release's rendered manifest (every object it owns), for finding its workloads. */
export function releaseManifest(
  runner: HelmRunner,
  release: string,
  namespace: string,
  signal?: AbortSignal,
): Promise<string> {
  return runHelm(runner, ['get', 'manifest', release, '--namespace', namespace], signal);
}
