// Host list memory benchmark: what reading every BareMetalHost of a namespace costs the reader's memory, against
// a devstack's kube-apiserver holding N hosts as real BMO leaves them (rebuilt from a recording). `pages` lists
// them as the provider does (`listInPages`, 500 a request); `whole` in one answer, as it did before. Each round
// lists once in a fresh process, which reports its resident memory's high-water mark (VmHWM), its resident
// memory and the heap it keeps once the hosts are read; rounds interleave the two; median and best are reported.
// Usage: node --import tsx bench/hostList/run.ts [--hosts 10000] [--rounds 5] [--out <file>]   (default ../results/hostList.md)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BMH_GROUP, BMH_PLURAL, BMH_VERSION, BareMetalHost } from '../../api/bareMetalHost.js';
import { startDevstack } from '../../devstack/devstack.js';
import { createBareMetalHostApi, withTypeMeta } from '../../k8s/bareMetalHosts.js';
import { loadKubeConfig } from '../../k8s/kubeClient.js';
import { CoreV1Api, CustomObjectsApi } from '../../k8s/kubernetesClient.js';
import { recordedHost } from '../../test/support/bmoConformance/recordedHost.js';
import { interleavedRounds, machineDescription, writeResults } from '../interleavedRounds.js';
import { medianAndBest } from '../median.js';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '5' },
    out: { type: 'string', default: fileURLToPath(new URL('../results/hostList.md', import.meta.url)) },
    // One listing, in a process of its own (how the benchmark runs each round).
    child: { type: 'string' },
    kubeconfig: { type: 'string' },
  },
});
const NAMESPACE = 'host-list-bench';
const RECORDING = new URL('../../test/fixtures/bmo/provision.json', import.meta.url);
type Mode = 'pages' | 'whole';

interface Figures {
  peakMiB: number;
  rssMiB: number;
  heapMiB: number;
  hosts: number;
}

const statusMiB = (field: string): number =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

/** The child: list once, keep the hosts, report. */
async function listOnce(mode: Mode, kubeconfig: string): Promise<Figures> {
  const kubeConfig = loadKubeConfig(kubeconfig);
  let hosts: BareMetalHost[];
  if (mode === 'pages') {
    hosts = (await createBareMetalHostApi(kubeConfig, NAMESPACE).list()).items;
  } else {
    const api = kubeConfig.makeApiClient(CustomObjectsApi);
    const where = { group: BMH_GROUP, version: BMH_VERSION, namespace: NAMESPACE, plural: BMH_PLURAL };
    const raw = (await api.listNamespacedCustomObject(where)) as { items?: unknown[] };
    hosts = (raw.items ?? []).map((item) => BareMetalHost.parse(withTypeMeta(item)));
  }
  const peakMiB = statusMiB('VmHWM');
  (globalThis as { gc?: () => void }).gc?.();
  return {
    peakMiB,
    rssMiB: statusMiB('VmRSS'),
    heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
    hosts: hosts.length,
  };
}

if (values.child) {
  process.stdout.write(JSON.stringify(await listOnce(values.child as Mode, values.kubeconfig ?? '')));
  process.exit(0);
}

const HOSTS = Number(values.hosts);
const ROUNDS = Number(values.rounds);
const stack = await startDevstack({ temporal: 'dev' });
let figures: Record<Mode, Figures[]>;
try {
  const kubeConfig = loadKubeConfig(stack.endpoints.kubeconfigPath);
  await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
  const api = createBareMetalHostApi(kubeConfig, NAMESPACE);
  const recorded = recordedHost(RECORDING, 'available', 'host-00000') as unknown as BareMetalHost;
  for (let start = 0; start < HOSTS; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, HOSTS - start) }, async (_, i) => {
        const name = `host-${String(start + i).padStart(5, '0')}`;
        const { status, ...host } = structuredClone(recorded);
        const created = await api.create({ ...host, metadata: { name, namespace: NAMESPACE } });
        await api.replaceStatus({ ...created, status });
      }),
    );
  }
  console.log(`${HOSTS} hosts in ${NAMESPACE}`);
  figures = await interleavedRounds(['whole', 'pages'], ROUNDS, (mode) => {
    const child = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--child',
        mode,
        '--kubeconfig',
        stack.endpoints.kubeconfigPath,
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) throw new Error(`${mode}: ${child.stderr}`);
    const result = JSON.parse(child.stdout) as Figures;
    if (result.hosts !== HOSTS) throw new Error(`${mode}: listed ${result.hosts} of ${HOSTS} hosts`);
    console.log(mode, JSON.stringify(result));
    return result;
  });
} finally {
  await stack.stop();
}

const cell = (mode: Mode, pick: (f: Figures) => number): string => medianAndBest(figures[mode].map(pick), 1);
const rows = (['whole', 'pages'] as const).map(
  (mode) =>
    `| ${mode} | ${cell(mode, (f) => f.peakMiB)} | ${cell(mode, (f) => f.rssMiB)} | ${cell(mode, (f) => f.heapMiB)} |`,
);
await writeResults(values.out, [
  '# Host list memory benchmark',
  '',
  `Machine: ${machineDescription()}. ${HOSTS} hosts, each an available host as the real BMO of ` +
    '`test/fixtures/bmo/provision.json` left it; ' +
    `${ROUNDS} rounds, the two ways interleaved, each a fresh process that lists once and keeps the hosts.`,
  '',
  '| list | peak resident (VmHWM), MiB: median (best) | resident after, MiB | heap kept, MiB |',
  '|---|---:|---:|---:|',
  ...rows,
  '',
]);
console.log(rows.join('\n'));
