// Start-up benchmark: what the product's processes cost before they do any work, for two builds (checkouts
// built with `npm run build`), each laid out as the container image's /app (dist/, bin/, package.json, charts/,
// crds/, node_modules/; no development tooling, so the CLI registers no developer commands). Measured: the CLI
// printing its help (wall time), and a provisioning worker started against a devstack with the image's
// environment: its time until it polls, its CPU until then, and its resident memory once idle for 5 s.
// Rounds interleave the two builds; median and best of the rounds are reported.
// Usage: node --import tsx bench/startup/run.ts --baseline <checkout> --candidate <checkout> [--rounds 5]
//        [--variants before,after] [--out <file>]   (default ../results/startup.md)
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDevstack } from '../../devstack/devstack.js';
import { ManagedProcess } from '../../devstack/managedProcess.js';
import { imageEnvironmentOf } from '../fleet/imageEnvironment.js';
import { residentMemory, treeCpuSeconds } from '../fleet/processUsage.js';
import { interleavedRounds, machineDescription, writeResults } from '../interleavedRounds.js';
import { medianAndBest } from '../median.js';

const { values } = parseArgs({
  options: {
    baseline: { type: 'string' },
    candidate: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    variants: { type: 'string', default: 'baseline,candidate' },
    out: { type: 'string', default: fileURLToPath(new URL('../results/startup.md', import.meta.url)) },
  },
});
if (!values.baseline || !values.candidate)
  throw new Error('--baseline <checkout> and --candidate <checkout> are required');
const [first = 'baseline', second = 'candidate'] = values.variants.split(',');
const checkouts = { [first]: resolve(values.baseline), [second]: resolve(values.candidate) };
const ROUNDS = Number(values.rounds);
const IDLE_MS = 5_000;

interface Figures {
  helpMs: number;
  workerStartMs: number;
  workerCpuMs: number;
  workerRssMiB: number;
}

/** The checkout's build laid out as the image's /app, in a folder of its own. */
async function layOutApp(checkout: string, at: string): Promise<string> {
  await mkdir(at, { recursive: true });
  for (const path of ['dist', 'bin', 'package.json', 'charts', 'crds', 'Dockerfile'])
    await cp(join(checkout, path), join(at, path), { recursive: true });
  await symlink(join(checkout, 'node_modules'), join(at, 'node_modules'));
  return at;
}

const work = await mkdtemp(join(tmpdir(), 'startup-bench-'));
const apps = {
  [first]: await layOutApp(checkouts[first] ?? '', join(work, first)),
  [second]: await layOutApp(checkouts[second] ?? '', join(work, second)),
};
const stack = await startDevstack({ temporal: 'dev' });
const { endpoints } = stack;

async function measure(variant: string): Promise<Figures> {
  const app = apps[variant] ?? '';
  const cli = join(app, 'bin', 'metal3-provider.js');
  const helpStarted = performance.now();
  const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
  const helpMs = performance.now() - helpStarted;
  if (help.status !== 0) throw new Error(`${variant}: --help failed: ${help.stderr}`);

  const logFile = join(work, `${variant}-worker.log`);
  const started = performance.now();
  const worker = ManagedProcess.start('worker', process.execPath, [cli, 'worker', 'provisioning'], logFile, {
    ...process.env,
    ...imageEnvironmentOf(app),
    TEMPORAL_ADDRESS: endpoints.temporalAddress,
    TEMPORAL_NAMESPACE: endpoints.temporalNamespace,
    KUBECONFIG: endpoints.kubeconfigPath,
  });
  try {
    for (;;) {
      if ((await readFile(logFile, 'utf8').catch(() => '')).includes('provisioning worker started')) break;
      if (performance.now() - started > 120_000) throw new Error(`${variant}: the worker did not start (${logFile})`);
      await sleep(20);
    }
    const workerStartMs = performance.now() - started;
    const workerCpuMs = (await treeCpuSeconds(worker.pid)) * 1000;
    await sleep(IDLE_MS);
    const { rssMiB } = await residentMemory(worker.pid);
    return { helpMs, workerStartMs, workerCpuMs, workerRssMiB: rssMiB };
  } finally {
    await worker.stop();
  }
}

let figures: Record<string, Figures[]>;
try {
  figures = await interleavedRounds([first, second] as const, ROUNDS, async (variant) => {
    const result = await measure(variant);
    console.log(variant, JSON.stringify(result));
    return result;
  });
} finally {
  await stack.stop();
  await rm(work, { recursive: true, force: true });
}

/** The checkout's commit, as results name a build. */
const commitOf = (checkout: string | undefined): string =>
  spawnSync('git', ['-C', checkout ?? '.', 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();

const cell = (variant: string, pick: (f: Figures) => number, digits = 0): string =>
  medianAndBest((figures[variant] ?? []).map(pick), digits);
const rows = [first, second].map(
  (variant) =>
    `| ${variant} | ${cell(variant, (f) => f.helpMs)} | ${cell(variant, (f) => f.workerStartMs)} | ` +
    `${cell(variant, (f) => f.workerCpuMs)} | ${cell(variant, (f) => f.workerRssMiB, 1)} |`,
);
await writeResults(values.out, [
  '# Start-up',
  '',
  `Machine: ${machineDescription()}. ${ROUNDS} interleaved rounds; \`${first}\` is ${commitOf(checkouts[first])}, ` +
    `\`${second}\` ${commitOf(checkouts[second])}, each built and laid out as the image's /app.`,
  '',
  '| build | CLI --help, ms: median (best) | worker start to polling, ms | worker CPU until polling, ms | worker RSS idle, MiB |',
  '|---|---:|---:|---:|---:|',
  ...rows,
  '',
]);
console.log(rows.join('\n'));
