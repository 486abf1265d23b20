import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BUNDLED_CHART_DIRS } from '../../api/charts/bundledCharts.js';
import { DHCP_CHART_DEFAULTS } from '../../api/nodeProvider.js';
import type { InfraComponent, ReleaseRequest } from '../../contracts/infraContract.js';
import { runHelm, type HelmRunner } from './helmCommand.js';

/** The chart directory shipped with the provider for each component ("Bundled version"). */
export const BUNDLED_CHARTS: Record<InfraComponent, string> = BUNDLED_CHART_DIRS;

/** Where a chart comes from: a directory shipped with the provider, or a repository. */
export type ChartSource =
  { kind: 'bundled'; dir: string } | { kind: 'repository'; repo: string; chart: string; version?: string };

/**
 * The bundled chart unless the NodeProvider overrides a coordinate; an override of any one of them
 * takes the others from the spec's defaults (`oci://ghcr.io/loft-sh/charts`, `vcluster-platform-dhcp-server`).
 */
export function chartSource(
  component: InfraComponent,
  overrides: ReleaseRequest['chartOverrides'],
  chartsDir: string,
): ChartSource {
  const { chartRepo, chart, version } = overrides ?? {};
  if (chartRepo === undefined && chart === undefined && version === undefined)
    return { kind: 'bundled', dir: join(chartsDir, BUNDLED_CHARTS[component]) };
  return {
    kind: 'repository',
    repo: chartRepo ?? DHCP_CHART_DEFAULTS.chartRepo,
    chart: chart ?? DHCP_CHART_DEFAULTS.chart,
    ...(version !== undefined && { version }),
  };
}

/** The chart reference and flags of `helm upgrade`/`helm show`. */
export function chartArgs(source: ChartSource): string[] {
  if (source.kind === 'bundled') return [source.dir];
  const version = source.version !== undefined ? ['--version', source.version] : [];
  if (source.repo.startsWith('oci://')) return [`${source.repo.replace(/\/+$/, '')}/${source.chart}`, ...version];
  return [source.chart, '--repo', source.repo, ...version];
}

export function describeChart(source: ChartSource): string {
  return source.kind === 'bundled'
    ? `bundled chart ${source.dir}`
    : `${source.repo} ${source.chart}${source.version ? ` ${source.version}` : ''}`;
}

interface ChartMetadata {
  name?: unknown;
  version?: unknown;
}

/** `<name>-<version>` of the chart as Helm records it on a release (what `helm list` shows). */
export async function chartIdentity(source: ChartSource, runner: HelmRunner, signal?: AbortSignal): Promise<string> {
  const text =
    source.kind === 'bundled'
      ? await readFile(join(source.dir, 'Chart.yaml'), 'utf8')
      : await runHelm(runner, ['show', 'chart', ...chartArgs(source)], signal);
  const metadata = parseYaml(text) as ChartMetadata | null;
  if (typeof metadata?.name !== 'string' || typeof metadata.version !== 'string')
    throw new Error(`${describeChart(source)}: Chart.yaml has no name or version`);
  return `${metadata.name}-${metadata.version}`;
}
