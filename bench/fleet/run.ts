// Fleet benchmark: N simulated hosts and N Machines started at once, provisioned and released, with
// K provisioning workers behind a counting kube-apiserver proxy.
// Usage: node --import tsx bench/fleet/run.ts [--machines 100,500,1000] [--workers 1] [--temporal dev|postgres]
//        node --import tsx bench/fleet/run.ts --runs dev:1:100,postgres:2:1000   (backend:workers:N, in this order)
//        node --import tsx bench/fleet/run.ts --temporal-address host:7233 --temporal-namespace ns --label 'my cluster'
//          (Temporal of your own; its namespace needs the Machine search attributes, see README)
// Writes bench/results/fleet.md (the rows of this run) and prints each row as it completes.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { TemporalBackend } from '../../devstack/devstack.js';
import { DELIBERATE_EXTRA_WRITES, GOALS, MINIMUM_WRITES, NECESSARY_WRITES } from './minimumWrites.js';
import { runFleet, type FleetConfig, type FleetFigure, type TemporalTarget } from './runFleet.js';

const { values } = parseArgs({
  options: {
    machines: { type: 'string', default: '100,500,1000' },
    workers: { type: 'string', default: '1' },
    temporal: { type: 'string', default: 'dev' },
    'temporal-address': { type: 'string' },
    'temporal-namespace': { type: 'string', default: 'default' },
    label: { type: 'string' },
    runs: { type: 'string' },
    out: { type: 'string', default: 'bench/results/fleet.md' },
  },
});
const list = (value: string): string[] => value.split(',').map((v) => v.trim());
const BACKEND_LABELS: Record<TemporalBackend, string> = { dev: 'dev server (SQLite)', postgres: 'server + PostgreSQL' };

function backendOf(name: string): TemporalBackend {
  if (name === 'dev' || name === 'postgres') return name;
  throw new Error(`unknown Temporal backend "${name}": use dev or postgres, or --temporal-address for your own`);
}

function targetOf(backend: string): { temporal: TemporalTarget; label: string } {
  const address = values['temporal-address'];
  if (address) {
    const namespace = values['temporal-namespace'];
    return { temporal: { kind: 'external', address, namespace }, label: values.label ?? `${address} (${namespace})` };
  }
  const name = backendOf(backend);
  return { temporal: { kind: 'devstack', backend: name }, label: values.label ?? BACKEND_LABELS[name] };
}

const runs: FleetConfig[] = values.runs
  ? list(values.runs).map((run) => {
      const [backend = '', workers, machines] = run.split(':');
      return { ...targetOf(backend), workers: Number(workers), machines: Number(machines) };
    })
  : list(values.temporal).flatMap((backend) =>
      list(values.workers).flatMap((workers) =>
        list(values.machines).map((machines) => ({
          ...targetOf(backend),
          workers: Number(workers),
          machines: Number(machines),
        })),
      ),
    );

const HEADER = [
  '| Temporal | workers | N | load avg | all Ready | all Released | Machines/s (to Ready) | s per Machine (to Released) | worker CPU per Machine | worker VmHWM (max) | worker memory growth per Machine | history events (mean / max) | API writes per Machine (× minimum) | API reads per Machine / watches in run | 409 answers | claim conflicts (metric) | CPU in cores: Temporal / apiserver+etcd / whole machine |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];

function row(f: FleetFigure): string {
  const conflicts = Object.entries(f.conflicts)
    .map(([resource, n]) => `${n} ${resource}`)
    .join(', ');
  const temporal = f.temporalCores === undefined ? 'n/a' : f.temporalCores.toFixed(2);
  const cells = [
    f.label,
    f.workers,
    f.machines,
    f.loadAverage.toFixed(1),
    `${f.readySeconds.toFixed(1)} s`,
    `${f.releasedSeconds.toFixed(1)} s`,
    (f.machines / f.readySeconds).toFixed(1),
    (f.releasedSeconds / f.machines).toFixed(3),
    `${f.workerCpuMsPerMachine.toFixed(0)} ms`,
    `${f.workerPeakMiB.toFixed(0)} MiB`,
    `${f.workerKiBPerMachine.toFixed(0)} KiB`,
    `${f.historyEventsMean.toFixed(1)} / ${f.historyEventsMax}`,
    `${f.writesPerMachine.toFixed(2)} (${(f.writesPerMachine / MINIMUM_WRITES).toFixed(2)}×)`,
    `${f.readsPerMachine.toFixed(2)} / ${f.watches}`,
    conflicts || '0',
    f.claimConflicts,
    `${temporal} / ${f.kubeCores.toFixed(2)} / ${f.machineCores.toFixed(2)}`,
  ];
  return `| ${cells.join(' | ')} |`;
}

function writesBreakdown(f: FleetFigure): string {
  return Object.entries(f.writesByResourcePerMachine)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([resource, n]) => `${resource} ${n.toFixed(2)}`)
    .join(', ');
}

/** Each goal per row: writes and history events against their bounds, time per Machine against the row's smallest N. */
function goalChecks(figures: FleetFigure[]): string[] {
  const mark = (ok: boolean): string => (ok ? 'met' : '**missed**');
  return figures.map((f) => {
    const base = figures
      .filter((g) => g.label === f.label && g.workers === f.workers)
      .reduce((a, b) => (b.machines < a.machines ? b : a));
    const slope = f.releasedSeconds / f.machines / (base.releasedSeconds / base.machines);
    return (
      `- ${f.label}, ${f.workers} worker(s), N=${f.machines}: writes ${f.writesPerMachine.toFixed(2)} ≤ ${GOALS.writesFactor * MINIMUM_WRITES} ${mark(f.writesPerMachine <= GOALS.writesFactor * MINIMUM_WRITES)}; ` +
      `history events max ${f.historyEventsMax} ≤ ${GOALS.historyEvents} ${mark(f.historyEventsMax <= GOALS.historyEvents)}; ` +
      `time per Machine ${slope.toFixed(2)}× that at N=${base.machines}`
    );
  });
}

const minimumSection = [
  `Minimum writes of a provision-and-release lifecycle: ${MINIMUM_WRITES}, one per necessary create, update or delete of the workflow's steps:`,
  '',
  '| step | resource | writes | what |',
  '|---|---|---:|---|',
  ...NECESSARY_WRITES.map((w) => `| ${w.step} | ${w.resource} | ${w.count} | ${w.why} |`),
  '',
  'Writes made on purpose beyond it:',
  '',
  ...Object.entries(DELIBERATE_EXTRA_WRITES).map(([resource, e]) => `- ${resource}: ${e.count}, ${e.why}`),
  '',
  'Reads (gets and lists) and watches are counted beside writes but not toward the minimum. Everything else the proxy counts comes from retries: a 409 on a BareMetalHost update (another Machine claimed the host first, or the simulator wrote its status) is read again and written again, and a short step run again (a local activity whose workflow task timed out) repeats its writes, a create answered 409 AlreadyExists then replacing.',
];

const machine = `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average at start ${loadavg()[0]?.toFixed(1) ?? '?'}`;
const figures: FleetFigure[] = [];
const failures: string[] = [];
for (const config of runs) {
  process.stderr.write(`${config.label}, ${config.workers} worker(s), N=${config.machines}\n`);
  const figure = await runFleet(config, (line) => process.stderr.write(`${line}\n`)).catch((err: unknown) => {
    // One failed run (a Temporal server that died, say) is reported; the others still run.
    failures.push(`- ${config.label}, ${config.workers} worker(s), N=${config.machines}: failed: ${String(err)}`);
    process.stderr.write(`${String(err)}\n`);
    return undefined;
  });
  if (figure) {
    figures.push(figure);
    process.stdout.write(`${row(figure)}\n  writes per Machine: ${writesBreakdown(figure)}\n`);
  }
  await writeFile(
    values.out,
    [
      '# Fleet benchmark',
      '',
      `Machine: ${machine}. Produced by \`node --import tsx bench/fleet/run.ts\` on ${new Date().toISOString().slice(0, 10)}. Simulator step delays zero; every run on a fresh devstack (kube-apiserver, etcd, Temporal), the simulator and the workers as child processes, the workers reaching the kube-apiserver through a counting proxy. CPU in cores is CPU seconds over the time to all Released.`,
      '',
      ...HEADER,
      ...figures.map(row),
      '',
      ...(failures.length > 0 ? ['Runs that failed:', '', ...failures, ''] : []),
      'API writes per Machine by resource:',
      '',
      ...figures.map((f) => `- ${f.label}, ${f.workers} worker(s), N=${f.machines}: ${writesBreakdown(f)}`),
      '',
      ...minimumSection,
      '',
      `Goals: at most ${GOALS.writesFactor}× the minimum writes (${GOALS.writesFactor * MINIMUM_WRITES}), at most ${GOALS.historyEvents} history events per provision-and-release, time linear in N (time per Machine constant):`,
      '',
      ...goalChecks(figures),
      '',
    ].join('\n'),
  );
}
