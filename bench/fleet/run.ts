// Fleet benchmark: H simulated hosts and N Machines started at once, provisioned and released, with
// K provisioning workers behind a counting kube-apiserver proxy.
// Usage: node --import tsx bench/fleet/run.ts [--machines 100,500,1000] [--workers 1] [--temporal dev|postgres]
//        node --import tsx bench/fleet/run.ts --runs dev:1:100,postgres:2:1000:10000   (backend:workers:N[:H], in this order)
//        ... --baseline DIR [--rounds 3]: each run also with the workers of the checkout in DIR (an earlier
//          commit, npm-installed), interleaved round by round, before and after taking turns to go first;
//          --candidate DIR runs the "after" workers from another checkout too (both built: `npm run build`)
//        ... --profile-dir DIR: the workers write V8 CPU profiles there (node --cpu-prof)
//        ... --worker-args=--max-cached-workflows=250 (written with "=", as the value starts with a dash):
//          more arguments of the "after" workers only, to compare a setting against the baseline's
//          defaults; --variants A,B names the before and after rows
//        ... --worker-node-args=--optimize-for-size: Node.js options of the "after" workers only (V8 flags
//          that NODE_OPTIONS does not take)
//        ... --worker-env NAME=value,NAME=value: more environment of the "after" workers only (every
//          worker runs with the container image's environment, the Dockerfile's ENV lines, under it)
//        node --import tsx bench/fleet/run.ts --temporal-address host:7233 --temporal-namespace ns --label 'my cluster'
//          (Temporal of your own; its namespace needs the Machine search attributes, see README)
// Writes bench/results/fleet.md (the rows of this run) and prints each row as it completes.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { TemporalBackend } from '../../devstack/devstack.js';
import { DELIBERATE_EXTRA_WRITES, MINIMUM_WRITES, NECESSARY_WRITES } from './minimumWrites.js';
import { readsBreakdown, readScaling, RUN_HEADER, runRow, summary, writesBreakdown } from './report.js';
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
    baseline: { type: 'string' },
    candidate: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    'profile-dir': { type: 'string' },
    'worker-args': { type: 'string' },
    'worker-node-args': { type: 'string' },
    'worker-env': { type: 'string' },
    variants: { type: 'string', default: 'before,after' },
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

const configs: FleetConfig[] = values.runs
  ? list(values.runs).map((run) => {
      const [backend = '', workers, machines, hosts] = run.split(':');
      return {
        ...targetOf(backend),
        workers: Number(workers),
        machines: Number(machines),
        ...(hosts !== undefined && { hosts: Number(hosts) }),
      };
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
const profiling = values['profile-dir'] && {
  workerNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${values['profile-dir']}`],
};
const baseline = values.baseline;
const [beforeName = 'before', afterName = 'after'] = list(values.variants);
const workerArgs = values['worker-args']?.split(' ').filter((arg) => arg !== '');
const workerNodeArgs = values['worker-node-args']?.split(' ').filter((arg) => arg !== '');
const workerEnv =
  values['worker-env'] &&
  Object.fromEntries(
    list(values['worker-env']).map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--worker-env takes NAME=value pairs, not "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds must be a whole number ≥ 1, not ${values.rounds}`);
// Round by round, each configuration before and after; who goes first alternates, so neither always
// meets the load the other leaves behind.
const runs: FleetConfig[] = Array.from({ length: rounds }, (_, round) =>
  configs.flatMap((config) => {
    const candidate = values.candidate;
    const after: FleetConfig = {
      ...config,
      ...profiling,
      ...(baseline && { variant: afterName }),
      ...(candidate && { workerRoot: candidate }),
      ...(workerArgs && { workerArgs }),
      ...(workerEnv && { workerEnv }),
      ...(workerNodeArgs && { workerNodeArgs: [...(profiling ? profiling.workerNodeArgs : []), ...workerNodeArgs] }),
    };
    if (!baseline) return [after];
    const before: FleetConfig = { ...config, ...profiling, variant: beforeName, workerRoot: baseline };
    return round % 2 === 0 ? [before, after] : [after, before];
  }),
).flat();

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
const nameOf = (c: FleetConfig): string =>
  `${c.variant ? `${c.variant}: ` : ''}${c.label}, ${c.workers} worker(s), N=${c.machines}, ${c.hosts ?? c.machines} hosts`;
for (const config of runs) {
  process.stderr.write(`${nameOf(config)}\n`);
  const figure = await runFleet(config, (line) => process.stderr.write(`${line}\n`)).catch((err: unknown) => {
    // One failed run (a Temporal server that died, say) is reported; the others still run.
    failures.push(`- ${nameOf(config)}: failed: ${String(err)}`);
    process.stderr.write(`${String(err)}\n`);
    return undefined;
  });
  if (figure) {
    figures.push(figure);
    process.stdout.write(
      `${runRow(figure)}\n  writes per Machine: ${writesBreakdown(figure)}\n  reads per Machine: ${readsBreakdown(figure)}\n`,
    );
  }
  await writeFile(
    values.out,
    [
      '# Fleet benchmark',
      '',
      `Machine: ${machine}. Produced by \`node --import tsx bench/fleet/run.ts ${process.argv.slice(2).join(' ')}\` on ${new Date().toISOString().slice(0, 10)}. Simulator step delays zero; every run on a fresh devstack (kube-apiserver, etcd, Temporal), the simulator and the workers as child processes, the workers with the container image's environment (the Dockerfile's \`ENV\` lines) and reaching the kube-apiserver through a counting proxy. CPU per Machine is CPU seconds over the window from the first start to all Released, divided by N; the load average is taken when each run's Machines were started.`,
      '',
      ...RUN_HEADER,
      ...figures.map(runRow),
      '',
      ...(failures.length > 0 ? ['Runs that failed:', '', ...failures, ''] : []),
      'Median and best over the rounds (goals judged on the median):',
      '',
      ...summary(figures),
      '',
      'Bytes read per claim against the number of hosts:',
      '',
      ...readScaling(figures),
      '',
      'API writes per Machine by resource:',
      '',
      ...figures.map((f) => `- ${nameOf(f)}: ${writesBreakdown(f)}`),
      '',
      'API reads per Machine by verb and resource (requests, and KiB of response):',
      '',
      ...figures.map((f) => `- ${nameOf(f)}: ${readsBreakdown(f)}`),
      '',
      ...minimumSection,
      '',
    ].join('\n'),
  );
}
