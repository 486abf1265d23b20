// Fleet benchmark: N simulated hosts and N Machines started at once, provisioned and released, against
// the Temporal dev server and the Temporal server on PostgreSQL, with one or two provisioning workers.
// Usage: node --import tsx bench/fleet/run.ts [--machines 100,500,1000] [--backends dev,postgres] [--workers 1,2]
//        node --import tsx bench/fleet/run.ts --runs dev:1:100,postgres:2:1000   (backend:workers:N, in this order)
// Writes bench/results/fleet.md (the rows of this run) and prints each row as it completes.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { TemporalBackend } from '../../devstack/devstack.js';
import { runFleet, type FleetConfig, type FleetFigure } from './runFleet.js';

const { values } = parseArgs({
  options: {
    machines: { type: 'string', default: '100,500,1000' },
    backends: { type: 'string', default: 'dev,postgres' },
    workers: { type: 'string', default: '1,2' },
    runs: { type: 'string' },
    out: { type: 'string', default: 'bench/results/fleet.md' },
  },
});
const list = (value: string): string[] => value.split(',').map((v) => v.trim());

const HEADER = [
  '| Temporal | workers | N | all Ready | all Released | Machines/s (to Ready) | worker CPU per Machine | worker peak RSS | worker memory per Machine | history events (mean / max) | API writes per Machine | 409 conflicts | Temporal server CPU |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];

function row(f: FleetFigure): string {
  const conflicts = Object.entries(f.conflicts)
    .map(([resource, n]) => `${n} ${resource}`)
    .join(', ');
  return `| ${f.backend === 'dev' ? 'dev server (SQLite)' : 'server + PostgreSQL'} | ${f.workers} | ${f.machines} | ${f.readySeconds.toFixed(1)} s | ${f.releasedSeconds.toFixed(1)} s | ${(f.machines / f.readySeconds).toFixed(1)} | ${f.workerCpuMsPerMachine.toFixed(0)} ms | ${f.workerPeakMiB.toFixed(0)} MiB | ${f.workerKiBPerMachine.toFixed(0)} KiB | ${f.historyEventsMean.toFixed(1)} / ${f.historyEventsMax} | ${f.writesPerMachine.toFixed(2)} | ${conflicts || '0'} | ${f.temporalCores.toFixed(2)} cores |`;
}

function writesBreakdown(f: FleetFigure): string {
  return Object.entries(f.writesByResourcePerMachine)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([resource, n]) => `${resource} ${n.toFixed(2)}`)
    .join(', ');
}

const figures: FleetFigure[] = [];
const machine = `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average at start ${loadavg()[0]?.toFixed(1) ?? '?'}`;
const runs: FleetConfig[] = values.runs
  ? list(values.runs).map((run) => {
      const [backend, workers, machines] = run.split(':');
      return { backend: backend as TemporalBackend, workers: Number(workers), machines: Number(machines) };
    })
  : (list(values.backends) as TemporalBackend[]).flatMap((backend) =>
      list(values.workers).flatMap((workers) =>
        list(values.machines).map((machines) => ({ backend, workers: Number(workers), machines: Number(machines) })),
      ),
    );
for (const config of runs) {
  process.stderr.write(`${config.backend}, ${config.workers} worker(s), N=${config.machines}\n`);
  const figure = await runFleet(config, (line) => process.stderr.write(`${line}\n`));
  figures.push(figure);
  process.stdout.write(`${row(figure)}\n  writes per Machine: ${writesBreakdown(figure)}\n`);
  await writeFile(
    values.out,
    [
      '# Fleet benchmark',
      '',
      `Machine: ${machine}. Simulator step delays zero; every run on a fresh devstack.`,
      '',
      ...HEADER,
      ...figures.map(row),
      '',
      'API writes per Machine by resource:',
      '',
      ...figures.map((f) => `- ${f.backend}, ${f.workers} worker(s), N=${f.machines}: ${writesBreakdown(f)}`),
      '',
    ].join('\n'),
  );
}
