// IPAM benchmark: allocations per second with 1,000 and 10,000 existing allocations in the pool.
// Usage: npx tsx bench/ipam/run.ts [--kubeconfig FILE]   (default: starts the embedded devstack)
// Writes bench/results/ipam.md.
import { cpus, loadavg, totalmem } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { createIpamActivities } from '../../activities/ipam/index.js';
import { PoolUsageCache } from '../../activities/ipam/poolUsage.js';
import { BMH_API_VERSION, BMH_GROUP, BMH_PLURAL, BMH_VERSION } from '../../api/bareMetalHost.js';
import { projectRoot, startDevstack } from '../../devstack/devstack.js';
import { formatAddress } from '../../ipam/address.js';
import { addressAt } from '../../ipam/intervals.js';
import { allocationName, machineKey } from '../../ipam/naming.js';
import { buildPool } from '../../ipam/pool.js';
import { freeAddresses } from '../../ipam/select.js';
import { createBareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { loadKubeConfig } from '../../k8s/kubeClient.js';
import { createIpAllocationApi, MACHINE_LABEL, POOL_LABEL } from '../../k8s/ipAllocations.js';

const EXISTING = [1_000, 10_000];
const MEASURED = 200;
const CONCURRENCY = 8;
const network = { networkCidr: '10.96.0.1/16' };

interface Row {
  existing: number;
  startAt: 'lowest' | 'random';
  firstMs: number;
  sequentialPerSec: number;
  sequentialMeanMs: number;
  concurrentPerSec: number;
  leaseLookupMs: number;
  labelLookupMs: number;
  fullListMs: number;
  loadAverage: number;
  /** In-memory cost of finding the lowest free address with this many used (no I/O). */
  pickMs: number;
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/** Existing allocations occupy the lowest addresses, as they would after lowest-first allocation. */
async function seed(kubeConfig: KubeConfig, namespace: string, existing: number): Promise<void> {
  await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  const pool = buildPool(network);
  const allocations = createIpAllocationApi(kubeConfig, namespace);
  const indexes = Array.from({ length: existing }, (_, i) => BigInt(i));
  await inBatches(indexes, 32, async (index) => {
    const value = addressAt(pool.intervals, index);
    const machine = { namespace: 'bench', name: `existing-${index}` };
    await allocations.create({
      name: allocationName(pool.id, pool.family, value),
      labels: { [POOL_LABEL]: pool.id, [MACHINE_LABEL]: machineKey(machine) },
      spec: {
        pool: pool.id,
        poolSource: network,
        address: formatAddress({ family: pool.family, value }),
        prefix: pool.prefix,
        gateway: formatAddress({ family: pool.family, value: pool.gateway }),
        machine,
      },
    });
  });
  const hosts = kubeConfig.makeApiClient(CustomObjectsApi);
  const where = { group: BMH_GROUP, version: BMH_VERSION, plural: BMH_PLURAL, namespace };
  await inBatches(
    Array.from({ length: 3 * MEASURED }, (_, i) => i),
    32,
    (i) =>
      hosts.createNamespacedCustomObject({
        ...where,
        // online is the one field BMO's CRD requires.
        body: {
          apiVersion: BMH_API_VERSION,
          kind: 'BareMetalHost',
          metadata: { name: `host-${i}` },
          spec: { online: false },
        },
      }),
  );
}

async function measure(
  kubeConfig: KubeConfig,
  namespace: string,
  existing: number,
  startAt: Row['startAt'],
  offset: number,
): Promise<Row> {
  const loadAverage = loadavg()[0] ?? 0;
  const ipam = createIpamActivities({ kubeConfig, namespace });
  const allocate = (i: number) =>
    ipam.allocateAddress({
      machine: { namespace: 'bench', name: `m-${startAt}-${i}` },
      host: `host-${i}`,
      network,
      startAt,
    });

  let t = performance.now();
  await allocate(offset);
  const firstMs = performance.now() - t;

  t = performance.now();
  for (let i = 1; i <= MEASURED / 2; i++) await allocate(offset + i);
  const sequentialMs = performance.now() - t;

  const rest = Array.from({ length: MEASURED / 2 - 1 }, (_, i) => offset + MEASURED / 2 + 1 + i);
  t = performance.now();
  await inBatches(rest, CONCURRENCY, allocate);
  const concurrentMs = performance.now() - t;

  // How a repeated ask finds the Machine's allocation: the host's lease names it (two reads by name).
  const pool = buildPool(network);
  const allocations = createIpAllocationApi(kubeConfig, namespace);
  const hostApi = createBareMetalHostApi(kubeConfig, namespace);
  const lookups = 20;
  t = performance.now();
  for (let i = 0; i < lookups; i++) {
    await hostApi.get(`host-${offset + i}`);
    await allocations.get(allocationName(pool.id, pool.family, addressAt(pool.intervals, BigInt(i))));
  }
  const leaseLookupMs = (performance.now() - t) / lookups;
  // The lookup by label that only a retried attempt makes; the API server filters every allocation for it.
  t = performance.now();
  for (let i = 0; i < lookups; i++) {
    await allocations.list({
      [POOL_LABEL]: pool.id,
      [MACHINE_LABEL]: machineKey({ namespace: 'bench', name: `x-${i}` }),
    });
  }
  const labelLookupMs = (performance.now() - t) / lookups;

  t = performance.now();
  await allocations.list({ [POOL_LABEL]: pool.id });
  const fullListMs = performance.now() - t;

  return {
    existing,
    startAt,
    pickMs: await pickCost(kubeConfig, namespace, startAt),
    firstMs,
    sequentialPerSec: (MEASURED / 2 / sequentialMs) * 1000,
    sequentialMeanMs: sequentialMs / (MEASURED / 2),
    concurrentPerSec: (rest.length / concurrentMs) * 1000,
    leaseLookupMs,
    labelLookupMs,
    fullListMs,
    loadAverage,
  };
}

/** In-memory cost of choosing the next address with the pool's usage as listed from the cluster (no I/O timed). */
async function pickCost(kubeConfig: KubeConfig, namespace: string, startAt: Row['startAt']): Promise<number> {
  const pool = buildPool(network);
  const deps = {
    allocations: createIpAllocationApi(kubeConfig, namespace),
    hosts: createBareMetalHostApi(kubeConfig, namespace),
  };
  const usage = await new PoolUsageCache(deps, 600_000).current(pool);
  const rounds = 200;
  const t = performance.now();
  for (let i = 0; i < rounds; i++) {
    const start = startAt === 'random' ? BigInt(Math.floor(Math.random() * Number(pool.size))) : usage.firstCandidate;
    for (const value of freeAddresses(pool, (v) => usage.isUsed(v), start)) {
      usage.begin(value);
      usage.settle(value, true);
      break;
    }
  }
  return (performance.now() - t) / rounds;
}

function report(rows: Row[]): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# IPAM benchmark',
    '',
    `Machine: ${cpus().length} CPUs (nproc), ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory; ` +
      'shared with other work while measuring. kube-apiserver and etcd of the embedded devstack on the same machine.',
    '',
    `Produced by \`npx tsx bench/ipam/run.ts\` on ${new Date().toISOString().slice(0, 10)}. Pool ${network.networkCidr}; ` +
      `the existing allocations hold its lowest addresses. Per row, a fresh activities object (cold cache) makes ` +
      `${MEASURED} allocations: the first one, ${MEASURED / 2} one after another, then the rest ${CONCURRENCY} at a time. ` +
      'Each allocation reads its host (a lease already there names the allocation to reuse), makes one create (plus ' +
      'a read per address lost to a race) and a read-modify-write of the host annotations.',
    '',
    '| existing allocations | start | first allocation (ms, includes the one full list) | sequential (alloc/s) | mean latency (ms) | concurrent ×8 (alloc/s) | lookup through the host lease (ms) | lookup by label, retries only (ms) | one full list of the pool (ms) | picking the address in memory (ms) | load average (1 min) |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.existing.toLocaleString('en')} | ${r.startAt} | ${r.firstMs.toFixed(0)} | ${r.sequentialPerSec.toFixed(1)} | ` +
        `${r.sequentialMeanMs.toFixed(1)} | ${r.concurrentPerSec.toFixed(1)} | ${r.leaseLookupMs.toFixed(1)} | ${r.labelLookupMs.toFixed(1)} | ` +
        `${r.fullListMs.toFixed(0)} | ${r.pickMs.toFixed(2)} | ${r.loadAverage.toFixed(1)} |`,
    ),
    '',
    'Every allocation makes four requests, each by name: the read of its host, one create, and the read and write ' +
      'of the host annotations; none of them depends on the number of allocations. A repeated ask finds the ' +
      "Machine's allocation through the lease on its host (its column). Only a retried activity attempt also looks " +
      'up by label, which the API server answers by filtering every allocation of the namespace (its column, which ' +
      'grows with them). The full list of the pool is paid once per process per 30 s (activities/ipam/poolUsage.ts) ' +
      'rather than per allocation; the first allocation of each row carries it. Lowest-first starts where the ' +
      'addresses known to be taken end (moved on as they are taken, back down on a release or a new list), so ' +
      'choosing an address does not walk past the allocations either. Differences between rows of the same size are noise of the shared machine (see the load average).',
    '',
  ];
  return lines.join('\n');
}

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' } } });
const stack = values.kubeconfig
  ? undefined
  : await startDevstack({
      progress: (line) => {
        console.error(`[devstack] ${line}`);
      },
    });
try {
  const kubeConfig = loadKubeConfig(values.kubeconfig ?? stack?.endpoints.kubeconfigPath);
  const rows: Row[] = [];
  for (const existing of EXISTING) {
    const namespace = `bench-ipam-${existing}-${Date.now().toString(36)}`;
    console.error(`seeding ${existing} allocations in ${namespace}`);
    await seed(kubeConfig, namespace, existing);
    rows.push(await measure(kubeConfig, namespace, existing, 'lowest', 0));
    rows.push(await measure(kubeConfig, namespace, existing, 'random', MEASURED));
    console.error(JSON.stringify(rows.slice(-2)));
  }
  const out = report(rows);
  await writeFile(join(projectRoot, 'bench', 'results', 'ipam.md'), out);
  console.log(out);
} finally {
  await stack?.stop();
}
