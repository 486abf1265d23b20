import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { MachineClient } from '../../client/machineClient.js';
import { applyManifests } from '../../devstack/demo/applyManifests.js';
import { projectRoot, startDevstack, type Devstack } from '../../devstack/devstack.js';
import { freePort } from '../../devstack/freePort.js';
import { ManagedProcess } from '../../devstack/managedProcess.js';
import { createBareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { loadKubeConfig } from '../../k8s/kubeClient.js';
import { createSimHosts } from '../../sim/simHosts.js';
import { startKubeApiProxy, type KubeApiProxy } from '../support/kubeApiProxy.js';

/** The namespace and provider of the spec's example NodeProvider (examples/metal3-provider.yaml). */
export const CHAOS_NAMESPACE = 'metal3-system';
export const CHAOS_PROVIDER = 'metal3-provider';

export interface ChaosStack {
  devstack: Devstack;
  /** The fault-injecting proxy the workers reach the kube-apiserver through. */
  proxy: KubeApiProxy;
  /** Direct to the kube-apiserver: the driver and the final checks are not subject to faults. */
  kubeConfig: KubeConfig;
  client: Client;
  machines: MachineClient;
  temporal: ManagedProcess;
  workers: ManagedProcess[];
  hostNames: string[];
  /** Where the product processes write their logs. */
  logDir: string;
  /** Each host as a user sees it before any Machine, to compare with after release. */
  originals: Map<string, HostView>;
  stop(): Promise<void>;
}

export type HostView = ReturnType<typeof hostView>;

/** A host as a user sees it: labels, annotations and spec; status and server bookkeeping left out. */
export function hostView(host: BareMetalHost) {
  return { labels: host.metadata.labels ?? {}, annotations: host.metadata.annotations ?? {}, spec: host.spec };
}

/**
 * A devstack of its own (its Temporal server gets crashed), the example NodeProvider, `hosts`
 * simulated hosts, the simulator, and `workers` provisioning workers that reach the kube-apiserver
 * through the fault-injecting proxy. Every product process is the real CLI in a child process.
 */
export async function startChaosStack(options: {
  hosts: number;
  workers: number;
  simDelayMs: number;
}): Promise<ChaosStack> {
  const devstack = await startDevstack();
  const { endpoints } = devstack;
  const logDir = join(endpoints.dir, 'chaos-logs');
  await mkdir(logDir, { recursive: true });
  const processes: ManagedProcess[] = [];
  let proxy: KubeApiProxy | undefined;
  let connection: Connection | undefined;
  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stop()));
    await connection?.close();
    await proxy?.close();
    await devstack.stop();
  };
  try {
    const temporal = devstack.processes.get('temporal');
    if (!temporal) throw new Error('the devstack has no Temporal dev server process');
    const kubeConfig = loadKubeConfig(endpoints.kubeconfigPath);
    await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: CHAOS_NAMESPACE } } });
    await applyManifests(kubeConfig, join(projectRoot, 'examples', 'metal3-provider.yaml'));
    const hostNames = await createSimHosts(kubeConfig, CHAOS_NAMESPACE, {
      count: options.hosts,
      prefix: 'chaos',
      labels: { role: 'compute' },
    });
    proxy = await startKubeApiProxy(endpoints.kubeconfigPath, endpoints.dir);

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
        join(logDir, `${name}.log`),
        env(kubeconfig),
      );
      processes.push(started);
      return started;
    };
    start(
      'simulator',
      ['sim', '--namespace', CHAOS_NAMESPACE, '--delay-ms', String(options.simDelayMs)],
      endpoints.kubeconfigPath,
    );
    const workers: ManagedProcess[] = [];
    for (let i = 1; i <= options.workers; i++) {
      const metrics = `127.0.0.1:${await freePort()}`;
      workers.push(
        start(
          `provisioning-worker-${i}`,
          ['worker', 'provisioning', '--metrics-address', metrics],
          proxy.kubeconfigPath,
        ),
      );
    }

    const hosts = createBareMetalHostApi(kubeConfig, CHAOS_NAMESPACE);
    const originals = new Map<string, HostView>();
    const deadline = Date.now() + 120_000;
    while (originals.size < hostNames.length) {
      if (Date.now() > deadline)
        throw new Error(`only ${originals.size} of ${hostNames.length} hosts became available`);
      originals.clear();
      for (const host of (await hosts.list()).items) {
        if (host.status?.provisioning?.state === 'available') originals.set(host.metadata.name, hostView(host));
      }
      await new Promise((r) => setTimeout(r, 500));
    }

    connection = await Connection.connect({ address: endpoints.temporalAddress });
    const client = new Client({ connection, namespace: endpoints.temporalNamespace });
    return {
      devstack,
      proxy,
      kubeConfig,
      client,
      machines: new MachineClient(client, kubeConfig),
      temporal,
      workers,
      hostNames,
      logDir,
      originals,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
