import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
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
import { startBareMetalHostCache } from '../../k8s/bareMetalHostCache.js';
import { loadKubeConfig } from '../../k8s/kubeClient.js';
import { createSimHosts } from '../../sim/simHosts.js';
import { startKubeApiProxy, type ReadVerb } from '../../test/support/kubeApiProxy.js';
import { machineBusySeconds, residentMemory, treeCpuSeconds } from './processUsage.js';
import { imageEnvironmentOf } from './imageEnvironment.js';

/** The devstack's own Temporal (dev server or server on PostgreSQL), or one reached at an address. */
export type TemporalTarget =
  { kind: 'devstack'; backend: TemporalBackend } | { kind: 'external'; address: string; namespace: string };

export interface FleetConfig {
  temporal: TemporalTarget;
  /** The backend column of the results. */
  label: string;
  machines: number;
  /** Simulated hosts, at least `machines` (default `machines`): claims choose among them all. */
  hosts?: number;
  workers: number;
  /** Project root the workers run from (default this one): a checkout of an earlier commit, to compare. */
  workerRoot?: string;
  /** The variant column of the results, e.g. `before` or `after`. */
  variant?: string;
  /** Node.js options of the workers, e.g. `--cpu-prof --cpu-prof-dir=…` to profile them. */
  workerNodeArgs?: string[];
  /** More arguments of `worker provisioning`, e.g. `--max-cached-workflows=250`. */
  workerArgs?: string[];
  /** More environment of the workers, over the container image's (imageEnvironment.ts). */
  workerEnv?: Record<string, string>;
}

/** Reads per Machine of one verb: requests, and response kilobytes. */
export interface ReadFigure {
  requests: number;
  kiB: number;
}

export interface FleetFigure extends FleetConfig {
  /** 1-minute load average when the Machines were started (the machine is shared). */
  loadAverage: number;
  readySeconds: number;
  releasedSeconds: number;
  /** Highest VmHWM of one worker (start-up, with the bundling of the workflow code, included). */
  workerPeakMiB: number;
  /** Highest resident memory of one worker sampled while the Machines ran. */
  workerRssPeakMiB: number;
  historyEventsMean: number;
  historyEventsMax: number;
  historySampled: number;
  writesPerMachine: number;
  writesByResourcePerMachine: Record<string, number>;
  /** The workers' reads per Machine by verb (gets, lists, watches), requests and response bytes. */
  readsPerMachine: Record<ReadVerb, ReadFigure>;
  /** The same by verb and resource, e.g. `get secrets`. */
  readsByResourcePerMachine: Record<string, ReadFigure>;
  /** Connections the workers opened to the kube-apiserver (through the proxy), per Machine. */
  connectionsPerMachine: number;
  /** 409 answers of the kube-apiserver to writes, by resource. */
  conflicts: Record<string, number>;
  /** The workers' own count of claims lost to a concurrent update (metal3_claim_conflicts). */
  claimConflicts: number;
  /** CPU seconds per Machine over the measured window, by process (Temporal undefined when external). */
  cpuPerMachine: CpuBreakdown;
  /** CPU over the measured window in cores, the whole machine. */
  machineCores: number;
}

export interface CpuBreakdown {
  worker: number;
  temporal: number | undefined;
  apiserver: number;
  etcd: number;
  simulator: number;
  /** This process: the counting proxy and the client starting and releasing the Machines. */
  bench: number;
  machine: number;
}

const NAMESPACE = 'metal3-system';
const CALL_CONCURRENCY = 50;
// A Ready Machine continues as new: its closed earlier run is not a Machine of its own.
const MACHINE_QUERY = `WorkflowType = 'machineLifecycle' AND ExecutionStatus != 'ContinuedAsNew'`;

/** Runs `work` over `items`, `concurrency` at a time. */
async function forEachLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** The worker's metal3_claim_conflicts counter, from its Prometheus endpoint (0 before the first conflict). */
async function claimConflictsOf(metricsAddress: string): Promise<number> {
  const text = await (await fetch(`http://${metricsAddress}/metrics`)).text();
  return [...text.matchAll(/^metal3_claim_conflicts(?:_total)?(?:\{[^}]*\})? (\S+)$/gm)]
    .map((m) => Number(m[1]))
    .reduce((a, b) => a + b, 0);
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>, intervalMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Messages of an error and its causes, outermost first. */
function messagesOf(err: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) messages.push(e.message);
  return messages.join(': ') || String(err);
}

/**
 * Releases one Machine. On a saturated machine the update can time out in Temporal while the workflow
 * accepted it; asking again is then answered "already Releasing", which is what was wanted.
 */
async function release(machines: MachineClient, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await machines.releaseMachine({ namespace: NAMESPACE, name });
      return;
    } catch (err) {
      if (/already (Releasing|Released)/.test(messagesOf(err))) return;
      if (attempt >= 5) throw new Error(`releasing ${name}: ${messagesOf(err)}`, { cause: err });
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

/** Names carry the run's tag: a Temporal namespace kept between runs may hold Machines of the same name. */
function claimOf(tag: string, index: number): NodeClaim {
  return {
    apiVersion: API_GROUP_VERSION,
    kind: 'NodeClaim',
    metadata: { name: `fleet-${tag}-${String(index).padStart(5, '0')}`, namespace: NAMESPACE },
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
 * One fleet run on a fresh devstack: H simulated hosts (no step delays, H ≥ N), K provisioning workers
 * reaching the kube-apiserver through a counting proxy, N Machines started at once, then all released.
 */
export async function runFleet(config: FleetConfig, log: (line: string) => void): Promise<FleetFigure> {
  const target = config.temporal;
  // An external Temporal still needs the devstack's kube-apiserver; its idle dev server is left aside.
  const stack = await startDevstack({ temporal: target.kind === 'devstack' ? target.backend : 'dev' });
  const { endpoints } = stack;
  const temporal =
    target.kind === 'external'
      ? target
      : { address: endpoints.temporalAddress, namespace: endpoints.temporalNamespace };
  const processes: ManagedProcess[] = [];
  // TLS with client certificates, as the kube-apiserver serves: the workers pay for connections what they do in production.
  const proxy = await startKubeApiProxy(endpoints.kubeconfigPath, endpoints.dir, { tls: true });
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const kubeConfig = loadKubeConfig(endpoints.kubeconfigPath);
    await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
    await applyManifests(kubeConfig, join(projectRoot, 'examples', 'metal3-provider.yaml'));
    const hostCount = Math.max(config.hosts ?? config.machines, config.machines);
    await createSimHosts(kubeConfig, NAMESPACE, {
      count: hostCount,
      prefix: 'fleet',
      labels: { role: 'compute' },
    });

    const env = (kubeconfig: string, more: Record<string, string> = {}): NodeJS.ProcessEnv => ({
      ...process.env,
      ...more,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      KUBECONFIG: kubeconfig,
    });
    const start = (name: string, args: string[], kubeconfig: string, root = projectRoot): ManagedProcess => {
      const isWorker = name.startsWith('worker');
      const nodeArgs = isWorker ? (config.workerNodeArgs ?? []) : [];
      const started = ManagedProcess.start(
        name,
        process.execPath,
        [...nodeArgs, join(root, 'bin', 'metal3-provider.js'), ...args],
        join(endpoints.dir, `${name}.log`),
        env(kubeconfig, isWorker ? { ...imageEnvironmentOf(root), ...config.workerEnv } : {}),
      );
      processes.push(started);
      return started;
    };
    const simulator = start(
      'simulator',
      ['sim', '--namespace', NAMESPACE, '--delay-ms', '0'],
      endpoints.kubeconfigPath,
    );
    // Counted from a watch-backed cache: one LIST, not a 33 MB list of 10,000 hosts at every check.
    const registering = startBareMetalHostCache(kubeConfig, NAMESPACE, {
      warn: (_details, message) => {
        log(`  ${message}`);
      },
    });
    try {
      await until(
        'hosts available',
        3_600_000,
        () =>
          Promise.resolve(
            registering.snapshot()?.filter((h) => h.status?.provisioning?.state === 'available').length === hostCount,
          ),
        1000,
      );
    } finally {
      await registering.stop();
    }
    const workers: ManagedProcess[] = [];
    const metricsAddresses: string[] = [];
    for (let i = 1; i <= config.workers; i++) {
      const metrics = `127.0.0.1:${await freePort()}`;
      metricsAddresses.push(metrics);
      workers.push(
        start(
          `worker-${i}`,
          ['worker', 'provisioning', '--metrics-address', metrics, ...(config.workerArgs ?? [])],
          proxy.kubeconfigPath,
          config.workerRoot,
        ),
      );
    }
    for (const worker of workers) {
      await until(`${worker.name} to start`, 120_000, async () =>
        (await readFile(worker.logFile, 'utf8').catch(() => '')).includes('provisioning worker started'),
      );
    }
    log(`  ${hostCount} hosts available, ${config.workers} worker(s) polling`);

    const pidsOf = (names: string[]): number[] =>
      [...stack.processes.values()].filter((p) => names.includes(p.name)).map((p) => p.pid);
    const cpuOf = async (pids: number[]): Promise<number> =>
      (await Promise.all(pids.map((pid) => treeCpuSeconds(pid)))).reduce((a, b) => a + b, 0);
    const temporalPids = target.kind === 'devstack' ? pidsOf(['temporal', 'temporal-server', 'postgres']) : [];
    const usage = async (): Promise<Record<keyof CpuBreakdown, number>> => {
      const own = process.cpuUsage();
      return {
        worker: await cpuOf(workers.map((w) => w.pid)),
        temporal: await cpuOf(temporalPids),
        apiserver: await cpuOf(pidsOf(['kube-apiserver'])),
        etcd: await cpuOf(pidsOf(['etcd'])),
        simulator: await cpuOf([simulator.pid]),
        bench: (own.user + own.system) / 1e6,
        machine: await machineBusySeconds(),
      };
    };
    // VmHWM includes start-up (bundling the workflow code); the window's peak comes from sampling it.
    const peakRss = (await Promise.all(workers.map((w) => residentMemory(w.pid)))).map((m) => m.rssMiB);
    const sampler = setInterval(() => {
      void Promise.all(workers.map((w) => residentMemory(w.pid))).then((now) => {
        now.forEach((m, i) => (peakRss[i] = Math.max(peakRss[i] ?? 0, m.rssMiB)));
      });
    }, 250);
    const usage0 = await usage();
    proxy.resetCounts();

    const client = new Client({ connection, namespace: temporal.namespace });
    const machines = new MachineClient(client, kubeConfig);
    const tag = Date.now().toString(36);
    const claims = Array.from({ length: config.machines }, (_, i) => claimOf(tag, i));
    const loadAverage = loadavg()[0] ?? 0;
    const started = Date.now();
    // Only this run's Machines, should the namespace hold earlier ones.
    const since = `StartTime >= '${new Date(started - 1000).toISOString()}'`;
    const count = async (query: string): Promise<number> =>
      (await client.workflow.count(`${MACHINE_QUERY} AND ${since} AND ${query}`)).count;
    await forEachLimited(claims, CALL_CONCURRENCY, (claim) => machines.provisionMachine(claim));
    await until(
      'every Machine Ready',
      1_800_000,
      async () => (await count(`MachinePhase = 'Ready'`)) === config.machines,
    );
    const readySeconds = (Date.now() - started) / 1000;
    log(`  all Ready after ${readySeconds.toFixed(1)} s`);
    await forEachLimited(claims, CALL_CONCURRENCY, (claim) => release(machines, claim.metadata.name));
    await until(
      'every Machine Released',
      1_800_000,
      async () => (await count(`ExecutionStatus = 'Completed'`)) === config.machines,
    );
    const releasedSeconds = (Date.now() - started) / 1000;
    log(`  all Released after ${releasedSeconds.toFixed(1)} s`);
    clearInterval(sampler);
    const usage1 = await usage();
    const counts = proxy.counts();
    const peakHwm = Math.max(...(await Promise.all(workers.map((w) => residentMemory(w.pid)))).map((m) => m.hwmMiB));
    const claimConflicts = (await Promise.all(metricsAddresses.map(claimConflictsOf))).reduce((a, b) => a + b, 0);

    // History length of an even sample of the lifecycles, over all of each one's runs.
    const step = Math.max(1, Math.floor(config.machines / 50));
    const lengths: number[] = [];
    for (let i = 0; i < config.machines; i += step) {
      const workflowId = machines.handle({ namespace: NAMESPACE, name: claims[i]?.metadata.name ?? '' }).workflowId;
      let events = 0;
      for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
        events += (await client.workflow.getHandle(workflowId, run.runId).fetchHistory()).events?.length ?? 0;
      }
      lengths.push(events);
    }
    const perMachine = (n: number): number => n / config.machines;
    const cpu = (key: keyof typeof usage0): number => perMachine(usage1[key] - usage0[key]);
    const reads = (verb: ReadVerb): ReadFigure => ({
      requests: perMachine(counts.readsByVerb[verb].requests),
      kiB: perMachine(counts.readsByVerb[verb].bytes) / 1024,
    });
    return {
      ...config,
      loadAverage,
      readySeconds,
      releasedSeconds,
      hosts: hostCount,
      workerPeakMiB: peakHwm,
      workerRssPeakMiB: Math.max(...peakRss),
      historyEventsMean: lengths.reduce((a, b) => a + b, 0) / lengths.length,
      historyEventsMax: Math.max(...lengths),
      historySampled: lengths.length,
      writesPerMachine: perMachine(counts.writes),
      writesByResourcePerMachine: Object.fromEntries(
        Object.entries(counts.writesByResource).map(([resource, n]) => [resource, perMachine(n)]),
      ),
      readsPerMachine: { get: reads('get'), list: reads('list'), watch: reads('watch') },
      readsByResourcePerMachine: Object.fromEntries(
        Object.entries(counts.readsByResource).map(([key, n]) => [
          key,
          { requests: perMachine(n.requests), kiB: perMachine(n.bytes) / 1024 },
        ]),
      ),
      connectionsPerMachine: perMachine(counts.connections),
      conflicts: counts.conflictsByResource,
      claimConflicts,
      cpuPerMachine: {
        worker: cpu('worker'),
        temporal: target.kind === 'devstack' ? cpu('temporal') : undefined,
        apiserver: cpu('apiserver'),
        etcd: cpu('etcd'),
        simulator: cpu('simulator'),
        bench: cpu('bench'),
        machine: cpu('machine'),
      },
      machineCores: (usage1.machine - usage0.machine) / releasedSeconds,
    };
  } catch (err) {
    // The devstack's folder goes with it; keep its logs to tell why (a Temporal server that died, say).
    const kept = await mkdtemp(join(tmpdir(), 'fleet-failure-'));
    await cp(endpoints.dir, kept, { recursive: true, filter: (source) => !/\.(sqlite|db)|etcd|pgdata/.test(source) });
    throw new Error(
      `N=${config.machines} with ${config.workers} worker(s) failed (logs kept in ${kept}): ${String(err)}`,
      {
        cause: err,
      },
    );
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await connection.close();
    await proxy.close();
    await stack.stop();
  }
}
