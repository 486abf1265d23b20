import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { BMH_GROUP, BMH_PLURAL, BMH_VERSION } from '../../api/bareMetalHost.js';
import { classifyApiError } from '../../k8s/apiErrors.js';
import { createBareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { updateHost } from '../../k8s/updateHost.js';
import { loadKubeConfig } from '../../k8s/kubeClient.js';
import { projectRoot, startDevstack, type DevstackEndpoints } from '../devstack.js';
import { applyManifests } from './applyManifests.js';
import { DEMO_NAMESPACE, createDemoHosts } from './demoHosts.js';
import {
  followMachines,
  requestMachines,
  waitForClaimedHost,
  type ClaimProgress,
  type DemoClaim,
} from './demoMachines.js';
import { startDemoProcesses, type DemoProcesses } from './demoProcesses.js';

export const DEMO_PROVIDER = 'metal3-provider';
const FAILING_HOST_ANNOTATION = 'sim.metal3-provider/fail-provisioning';

export interface DemoRun {
  stack: DevstackEndpoints;
  processes: DemoProcesses;
  claims: ClaimProgress[];
  seconds: number;
  stop(): Promise<void>;
}

async function waitForAvailableHosts(stack: DevstackEndpoints, count: number, timeoutMs: number): Promise<void> {
  const api = loadKubeConfig(stack.kubeconfigPath).makeApiClient(CustomObjectsApi);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = (await api.listNamespacedCustomObject({
      group: BMH_GROUP,
      version: BMH_VERSION,
      namespace: DEMO_NAMESPACE,
      plural: BMH_PLURAL,
    })) as { items: { status?: { provisioning?: { state?: string } } }[] };
    const available = list.items.filter((h) => h.status?.provisioning?.state === 'available').length;
    if (available >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${available} of ${count} demo hosts became available`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The embedded default end to end: devstack, simulated servers of two hardware classes, the
 * provider's workers and controller, the example NodeProvider, and Machines of both node types,
 * one of them on a server set to fail so that it ends Stuck.
 */
export async function runDemo(options: { say: (line: string) => void; simDelayMs?: number }): Promise<DemoRun> {
  const { say } = options;
  const started = Date.now();
  const devstack = await startDevstack({
    progress: (line) => {
      say(`[devstack] ${line}`);
    },
  });
  const stack = devstack.endpoints;
  let processes: DemoProcesses | undefined;
  const stop = async (): Promise<void> => {
    await processes?.stop();
    await devstack.stop();
  };
  try {
    const kubeConfig = loadKubeConfig(stack.kubeconfigPath);
    await kubeConfig
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: DEMO_NAMESPACE } } })
      .catch((err: unknown) => {
        if (classifyApiError(err).kind !== 'alreadyExists') throw err;
      });
    const applied = await applyManifests(kubeConfig, join(projectRoot, 'examples', 'metal3-provider.yaml'));
    say(`applied ${applied.join(', ')}`);
    const hosts = await createDemoHosts(kubeConfig);
    const failing = hosts.compute.at(-1) ?? '';
    await updateHost(createBareMetalHostApi(kubeConfig, DEMO_NAMESPACE), failing, (host) => ({
      ...host,
      metadata: {
        ...host.metadata,
        annotations: { ...host.metadata.annotations, [FAILING_HOST_ANNOTATION]: '1000000' },
      },
    }));
    say(
      `created ${hosts.compute.length} compute and ${hosts.gpu.length} GPU servers; ${failing} is set to fail provisioning`,
    );

    processes = await startDemoProcesses(stack, options.simDelayMs ?? 300);
    say(`started ${processes.processes.map((p) => p.name).join(', ')} (logs in ${processes.logDir})`);
    if (processes.bootWorkerSkipped) say(`boot worker not started: ${processes.bootWorkerSkipped}`);
    await waitForAvailableHosts(stack, hosts.compute.length + hosts.gpu.length, 120_000);
    say('every server is registered, inspected and available');

    // The Machine meant to get stuck goes first, so that no other Machine takes the failing server.
    const flaky: DemoClaim = { name: 'compute-4', nodeType: 'compute-node', server: failing };
    const claims: DemoClaim[] = [
      flaky,
      { name: 'compute-1', nodeType: 'compute-node' },
      { name: 'compute-2', nodeType: 'compute-node' },
      { name: 'compute-3', nodeType: 'compute-node' },
      { name: 'gpu-1', nodeType: 'gpu-server' },
      { name: 'gpu-2', nodeType: 'gpu-server' },
    ];
    await requestMachines(kubeConfig, DEMO_PROVIDER, [flaky]);
    await waitForClaimedHost(kubeConfig, flaky.name, 60_000);
    await requestMachines(kubeConfig, DEMO_PROVIDER, claims.slice(1));
    say(`requested ${claims.length} Machines (NodeClaims in namespace default); progress:`);
    const progress = await followMachines(kubeConfig, claims.length, say, 240_000);
    return { stack, processes, claims: progress, seconds: (Date.now() - started) / 1000, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
