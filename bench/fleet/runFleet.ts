import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import type { NodeClaim } from '../../api/nodeClaim.js';
import { API_GROUP_VERSION } from '../../api/objectMeta.js';
import { MachineClient } from '../../client/machineClient.js';
import { applyManifests } from '../../devstack/demo/applyManifests.js';
import { projectRoot, startDevstack, type TemporalBackend } from '../../devstack/devstack.js';
import { freePort } from '../../devstack/freePort.js';
import { ManagedProcess } from '../../devstack/managedProcess.js';
import { createBareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { loadKubeConfig } from '../../k8s/kubeClient.js';
import { createSimHosts } from '../../sim/simHosts.js';
import { startKubeApiProxy } from '../../test/support/kubeApiProxy.js';
import { residentMemory, treeCpuSeconds } from './processUsage.js';

export interface FleetConfig {
  backend: TemporalBackend;
  machines: number;
  workers: number;
}

export interface FleetFigure extends FleetConfig {
  readySeconds: number;
  releasedSeconds: number;
  workerCpuMsPerMachine: number;
  /** Highest resident memory of one worker while the Machines ran, and its growth over the run per Machine. */
  workerPeakMiB: number;
  workerKiBPerMachine: number;
  historyEventsMean: number;
  historyEventsMax: number;
  historySampled: number;
  writesPerMachine: number;
  writesByResourcePerMachine: Record<string, number>;
  conflicts: Record<string, number>;
  /** CPU of the Temporal server (and PostgreSQL) over the measured window, in cores. */
  temporalCores: number;
}

const NAMESPACE = 'metal3-system';
const CALL_CONCURRENCY = 50;
const MACHINE_QUERY = `WorkflowType = 'machineLifecycle'`;

/** Runs `work` over `items`, `concurrency` at a time. */
async function forEachLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function claimOf(index: number): NodeClaim {
  return {
    apiVersion: API_GROUP_VERSION,
    kind: 'NodeClaim',
    metadata: { name: `fleet-${String(index).padStart(5, '0')}`, namespace: NAMESPACE },
    // A pool with room for the largest fleet; everything else comes from the example's node type.
    spec: {
      providerRef: 'metal3-provider',
      typeRef: 'compute-node',
      properties: {
        'metal3.vcluster.com/network-cidr': '10.0.0.1/20',
        'metal3.vcluster.com/network-ip-range': '10.0.1.0-10.0.15.250',
      },
    },
  };
}

/**
 * One fleet run on a fresh devstack: N simulated hosts (no step delays), K provisioning workers
 * reaching the kube-apiserver through a counting proxy, N Machines started at once, then all released.
 */
export async function runFleet(config: FleetConfig, log: (line: string) => void): Promise<FleetFigure> {
  const stack = await startDevstack({ temporal: config.backend });
  const { endpoints } = stack;
  const processes: ManagedProcess[] = [];
  const proxy = await startKubeApiProxy(endpoints.kubeconfigPath, endpoints.dir);
  const connection = await Connection.connect({ address: endpoints.temporalAddress });
  try {
    const kubeConfig = loadKubeConfig(endpoints.kubeconfigPath);
    await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
    await applyManifests(kubeConfig, join(projectRoot, 'examples', 'metal3-provider.yaml'));
    await createSimHosts(kubeConfig, NAMESPACE, {
      count: config.machines,
      prefix: 'fleet',
      labels: { role: 'compute' },
    });

    const cli = join(projectRoot, 'bin', 'metal3-provider.js');
    const env = (kubeconfig: string): NodeJS.ProcessEnv => ({
      ...process.env,
      TEMPORAL_ADDRESS: endpoints.temporalAddress,
      TEMPORAL_NAMESPACE: endpoints.temporalNamespace,
      KUBECONFIG: kubeconfig,
    });
    const start = (name: string, args: string[], kubeconfig: string): ManagedProcess => {
      const started = ManagedProcess.start(
        name,
        process.execPath,
        [cli, ...args],
        join(endpoints.dir, `${name}.log`),
        env(kubeconfig),
      );
      processes.push(started);
      return started;
    };
    start('simulator', ['sim', '--namespace', NAMESPACE, '--delay-ms', '0'], endpoints.kubeconfigPath);
    const hosts = createBareMetalHostApi(kubeConfig, NAMESPACE);
    await until('hosts available', 600_000, async () => {
      const available = (await hosts.list()).items.filter((h) => h.status?.provisioning?.state === 'available');
      return available.length === config.machines;
    });
    const workers: ManagedProcess[] = [];
    for (let i = 1; i <= config.workers; i++) {
      const metrics = `127.0.0.1:${await freePort()}`;
      workers.push(
        start(`worker-${i}`, ['worker', 'provisioning', '--metrics-address', metrics], proxy.kubeconfigPath),
      );
    }
    for (const worker of workers) {
      await until(`${worker.name} to start`, 120_000, async () =>
        (await readFile(worker.logFile, 'utf8').catch(() => '')).includes('provisioning worker started'),
      );
    }
    log(`  ${config.machines} hosts available, ${config.workers} worker(s) polling`);

    const temporalPids = [...stack.processes.values()]
      .filter((p) => ['temporal', 'temporal-server', 'postgres'].includes(p.name))
      .map((p) => p.pid);
    const temporalCpu = async (): Promise<number> =>
      (await Promise.all(temporalPids.map((pid) => treeCpuSeconds(pid)))).reduce((a, b) => a + b, 0);
    const workerCpu = async (): Promise<number> =>
      (await Promise.all(workers.map((w) => treeCpuSeconds(w.pid)))).reduce((a, b) => a + b, 0);
    const baselineRss = (await Promise.all(workers.map((w) => residentMemory(w.pid)))).map((m) => m.rssMiB);
    // VmHWM would include start-up (bundling the workflow code); sample the window instead.
    const peakRss = [...baselineRss];
    const sampler = setInterval(() => {
      void Promise.all(workers.map((w) => residentMemory(w.pid))).then((now) => {
        now.forEach((m, i) => (peakRss[i] = Math.max(peakRss[i] ?? 0, m.rssMiB)));
      });
    }, 250);
    const [cpu0, temporal0] = [await workerCpu(), await temporalCpu()];
    proxy.resetCounts();

    const client = new Client({ connection, namespace: endpoints.temporalNamespace });
    const machines = new MachineClient(client, kubeConfig);
    const count = async (query: string): Promise<number> => (await client.workflow.count(query)).count;
    const claims = Array.from({ length: config.machines }, (_, i) => claimOf(i));
    const started = Date.now();
    await forEachLimited(claims, CALL_CONCURRENCY, (claim) => machines.provisionMachine(claim));
    await until(
      'every Machine Ready',
      1_800_000,
      async () => (await count(`${MACHINE_QUERY} AND MachinePhase = 'Ready'`)) === config.machines,
    );
    const readySeconds = (Date.now() - started) / 1000;
    log(`  all Ready after ${readySeconds.toFixed(1)} s`);
    await forEachLimited(claims, CALL_CONCURRENCY, (claim) =>
      machines.releaseMachine({ namespace: NAMESPACE, name: claim.metadata.name }),
    );
    await until(
      'every Machine Released',
      1_800_000,
      async () => (await count(`${MACHINE_QUERY} AND ExecutionStatus = 'Completed'`)) === config.machines,
    );
    const releasedSeconds = (Date.now() - started) / 1000;
    log(`  all Released after ${releasedSeconds.toFixed(1)} s`);
    clearInterval(sampler);
    const [cpu1, temporal1] = [await workerCpu(), await temporalCpu()];
    const counts = proxy.counts();

    // History length of an even sample of the lifecycles.
    const step = Math.max(1, Math.floor(config.machines / 50));
    const lengths: number[] = [];
    for (let i = 0; i < config.machines; i += step) {
      const history = await machines.handle({ namespace: NAMESPACE, name: claimOf(i).metadata.name }).fetchHistory();
      lengths.push(history.events?.length ?? 0);
    }
    const perMachine = (n: number): number => n / config.machines;
    return {
      ...config,
      readySeconds,
      releasedSeconds,
      workerCpuMsPerMachine: perMachine(cpu1 - cpu0) * 1000,
      workerPeakMiB: Math.max(...peakRss),
      workerKiBPerMachine:
        (peakRss.reduce((sum, peak, i) => sum + peak - (baselineRss[i] ?? 0), 0) * 1024) / config.machines,
      historyEventsMean: lengths.reduce((a, b) => a + b, 0) / lengths.length,
      historyEventsMax: Math.max(...lengths),
      historySampled: lengths.length,
      writesPerMachine: perMachine(counts.writes),
      writesByResourcePerMachine: Object.fromEntries(
        Object.entries(counts.writesByResource).map(([resource, n]) => [resource, perMachine(n)]),
      ),
      conflicts: counts.conflictsByResource,
      temporalCores: (temporal1 - temporal0) / releasedSeconds,
    };
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await connection.close();
    await proxy.close();
    await stack.stop();
  }
}
