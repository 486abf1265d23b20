// The tables of bench/results/fleet.md: one row per run, then the median and best of each configuration
// and variant over its rounds, with the goals checked on the medians.
import type { ReadVerb } from '../../test/support/kubeApiProxy.js';
import { median } from '../median.js';
import { GOALS, MINIMUM_WRITES } from './minimumWrites.js';
import type { FleetFigure } from './runFleet.js';

/** Goals of the worker's own cost, per provision-and-release at N = 1,000 on the dev server. */
export const COST_GOALS = {
  machineCpuSeconds: 0.3,
  workerCpuMs: 80,
  workerRssMiB: 400,
  /** Bytes read per claim may differ by this fraction between the smallest and largest host count. */
  readBytesSpread: 0.1,
};

const VERBS: ReadVerb[] = ['get', 'list', 'watch'];

const configOf = (f: FleetFigure): string =>
  `${f.label}, ${f.workers} worker(s), N=${f.machines}, ${f.hosts ?? f.machines} hosts`;
const variantOf = (f: FleetFigure): string => f.variant ?? 'this tree';

export const readKiBOf = (f: FleetFigure): number => VERBS.reduce((sum, v) => sum + f.readsPerMachine[v].kiB, 0);
/** CPU seconds per Machine of the processes the benchmark started (the machine is shared with other work). */
export const stackCpuOf = (f: FleetFigure): number =>
  f.cpuPerMachine.worker +
  (f.cpuPerMachine.temporal ?? 0) +
  f.cpuPerMachine.apiserver +
  f.cpuPerMachine.etcd +
  f.cpuPerMachine.simulator +
  f.cpuPerMachine.bench;

export const RUN_HEADER = [
  '| variant | Temporal | workers | N | hosts | load avg | all Ready | all Released | s per Machine | CPU ms per Machine: worker / Temporal / apiserver / etcd / simulator / proxy+client | CPU s per Machine: these / whole machine | worker RSS peak in window / VmHWM | history events (mean / max) | API writes per Machine (× minimum) | reads per Machine: get / list / watch | KiB read per Machine: get / list / watch | connections per Machine | 409 answers | claim conflicts |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
];

const ms = (seconds: number | undefined): string => (seconds === undefined ? 'n/a' : (seconds * 1000).toFixed(0));

export function runRow(f: FleetFigure): string {
  const conflicts = Object.entries(f.conflicts)
    .map(([resource, n]) => `${n} ${resource}`)
    .join(', ');
  const c = f.cpuPerMachine;
  const cells = [
    variantOf(f),
    f.label,
    f.workers,
    f.machines,
    f.hosts ?? f.machines,
    f.loadAverage.toFixed(1),
    `${f.readySeconds.toFixed(1)} s`,
    `${f.releasedSeconds.toFixed(1)} s`,
    (f.releasedSeconds / f.machines).toFixed(3),
    [c.worker, c.temporal, c.apiserver, c.etcd, c.simulator, c.bench].map(ms).join(' / '),
    `${stackCpuOf(f).toFixed(2)} / ${c.machine.toFixed(2)}`,
    `${f.workerRssPeakMiB.toFixed(0)} / ${f.workerPeakMiB.toFixed(0)} MiB`,
    `${f.historyEventsMean.toFixed(1)} / ${f.historyEventsMax}`,
    `${f.writesPerMachine.toFixed(2)} (${(f.writesPerMachine / MINIMUM_WRITES).toFixed(2)}×)`,
    VERBS.map((v) => f.readsPerMachine[v].requests.toFixed(2)).join(' / '),
    VERBS.map((v) => f.readsPerMachine[v].kiB.toFixed(1)).join(' / '),
    f.connectionsPerMachine.toFixed(2),
    conflicts || '0',
    f.claimConflicts,
  ];
  return `| ${cells.join(' | ')} |`;
}

export function writesBreakdown(f: FleetFigure): string {
  return Object.entries(f.writesByResourcePerMachine)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([resource, n]) => `${resource} ${n.toFixed(2)}`)
    .join(', ');
}

export function readsBreakdown(f: FleetFigure): string {
  return Object.entries(f.readsByResourcePerMachine)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${key} ${n.requests.toFixed(2)} (${n.kiB.toFixed(1)} KiB)`)
    .join(', ');
}

interface Metric {
  name: string;
  of: (f: FleetFigure) => number;
  digits: number;
  /** The goal the median is held to, where there is one for this configuration. */
  goal?: (f: FleetFigure) => number | undefined;
}

const atThousandOnDev = (f: FleetFigure): boolean => f.machines === 1000 && f.label.startsWith('dev server');
const METRICS: Metric[] = [
  { name: 's per Machine', of: (f) => f.releasedSeconds / f.machines, digits: 3 },
  {
    name: 'CPU s per Machine (processes of the run)',
    of: stackCpuOf,
    digits: 3,
    goal: (f) => (atThousandOnDev(f) ? COST_GOALS.machineCpuSeconds : undefined),
  },
  { name: 'CPU s per Machine (whole machine)', of: (f) => f.cpuPerMachine.machine, digits: 3 },
  {
    name: 'worker CPU ms per Machine',
    of: (f) => f.cpuPerMachine.worker * 1000,
    digits: 0,
    goal: (f) => (f.machines === 1000 ? COST_GOALS.workerCpuMs : undefined),
  },
  {
    name: 'worker RSS peak, MiB',
    of: (f) => f.workerRssPeakMiB,
    digits: 0,
    goal: (f) => (f.machines === 1000 ? COST_GOALS.workerRssMiB : undefined),
  },
  { name: 'KiB read per Machine', of: readKiBOf, digits: 1 },
  { name: 'connections per Machine', of: (f) => f.connectionsPerMachine, digits: 2 },
  {
    name: 'API writes per Machine',
    of: (f) => f.writesPerMachine,
    digits: 2,
    goal: () => GOALS.writesFactor * MINIMUM_WRITES,
  },
  { name: 'history events, max', of: (f) => f.historyEventsMax, digits: 0, goal: () => GOALS.historyEvents },
];

/** Median and best (lowest) of each metric per configuration and variant; goals judged on the median. */
export function summary(figures: FleetFigure[]): string[] {
  const groups = new Map<string, FleetFigure[]>();
  for (const f of figures) {
    const key = `${configOf(f)} | ${variantOf(f)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const lines = [
    `| configuration | variant | rounds | ${METRICS.map((m) => `${m.name}: median (best)`).join(' | ')} |`,
    `|---|---|---:|${METRICS.map(() => '---:').join('|')}|`,
  ];
  for (const runs of groups.values()) {
    const first = runs[0];
    if (!first) continue;
    const cells = METRICS.map((m) => {
      const values = runs.map(m.of);
      const mid = median(values) ?? 0;
      const goal = m.goal?.(first);
      const verdict = goal === undefined ? '' : mid <= goal ? ` ≤ ${goal} met` : ` > ${goal} **missed**`;
      return `${mid.toFixed(m.digits)} (${Math.min(...values).toFixed(m.digits)})${verdict}`;
    });
    lines.push(`| ${configOf(first)} | ${variantOf(first)} | ${runs.length} | ${cells.join(' | ')} |`);
  }
  return lines;
}

/** Bytes read per claim by host count, per backend, worker count, N and variant: constant in the fleet size? */
export function readScaling(figures: FleetFigure[]): string[] {
  const groups = new Map<string, FleetFigure[]>();
  for (const f of figures) {
    const key = `${f.label}, ${f.workers} worker(s), N=${f.machines}, ${variantOf(f)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const lines: string[] = [];
  for (const [key, runs] of groups) {
    const byHosts = new Map<number, number[]>();
    for (const f of runs)
      byHosts.set(f.hosts ?? f.machines, [...(byHosts.get(f.hosts ?? f.machines) ?? []), readKiBOf(f)]);
    if (byHosts.size < 2) continue;
    const medians = [...byHosts].sort(([a], [b]) => a - b).map(([hosts, kiB]) => ({ hosts, kiB: median(kiB) ?? 0 }));
    const low = Math.min(...medians.map((m) => m.kiB));
    const high = Math.max(...medians.map((m) => m.kiB));
    const spread = (high - low) / low;
    const verdict = spread <= COST_GOALS.readBytesSpread ? 'met' : '**missed**';
    lines.push(
      `- ${key}: ${medians.map((m) => `${m.kiB.toFixed(1)} KiB at ${m.hosts} hosts`).join(', ')}; spread ${(spread * 100).toFixed(0)} % ≤ ${COST_GOALS.readBytesSpread * 100} % ${verdict}`,
    );
  }
  return lines;
}
