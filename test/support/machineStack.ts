import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect } from 'vitest';
import type { NodeClaim } from '../../api/nodeClaim.js';
import { API_GROUP_VERSION, API_GROUP } from '../../api/objectMeta.js';
import { MachineClient } from '../../client/machineClient.js';
import { startSimulator, type Simulator } from '../../sim/controller.js';
import { SimConfig } from '../../sim/settings.js';
import { createSimHosts } from '../../sim/simHosts.js';
import { createProvisioningWorker } from '../../worker/provisioningWorker.js';
import type { MachinePhase, MachineStatus } from '../../contracts/machineContract.js';
import { useTestEnv, type TestEnv } from './testEnv.js';

export interface MachineStack {
  env: TestEnv;
  client: MachineClient;
  provider: string;
  osImage: string;
  /** A NodeClaim of this stack's provider and node type `compute-node`, with extra properties. */
  claim(name: string, properties?: Record<string, string>): NodeClaim;
  /** Stores a Secret in the test namespace (e.g. a join Secret). */
  secret(name: string, data: Record<string, string>): Promise<void>;
  /** Polls the Machine's status query until it is in `phase`, and returns that status. */
  waitForPhase(name: string, phase: MachinePhase, timeout?: number): Promise<MachineStatus>;
}

/**
 * A test file's own Machine environment on the run's devstack: a NodeProvider whose hosts live in
 * the file's namespace, an OSImage and SSHKey, simulated hosts, the simulator, and a provisioning
 * worker on the file's task queue.
 */
export function useMachineStack(options: {
  hosts: number;
  hostAnnotations?: Record<string, string>;
  /** Simulator step delay (default 100 ms). */
  simDelayMs?: number;
  /** Run the provisioning worker in this process (default); false when the test runs its own. */
  worker?: boolean;
  /** The worker's platform namespace (bare Secret names resolve there); the worker's default otherwise. */
  platformNamespace?: () => string;
  /** The NodeProvider's own `spec.properties`, given this file's namespace (names are per file). */
  providerProperties?: (namespace: string) => Record<string, string>;
}): MachineStack {
  const env = useTestEnv();
  const stack = { env } as MachineStack;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let connection: NativeConnection | undefined;
  let sim: Simulator;

  beforeAll(async () => {
    const objects = env.kubeConfig.makeApiClient(CustomObjectsApi);
    const createCluster = (plural: string, body: object) =>
      objects.createClusterCustomObject({ group: API_GROUP, version: 'v1', plural, body });
    stack.provider = `metal3-${env.namespace}`;
    stack.osImage = `ubuntu-noble-${env.namespace}`;
    await createCluster('osimages', {
      apiVersion: API_GROUP_VERSION,
      kind: 'OSImage',
      metadata: { name: stack.osImage },
      spec: {
        properties: {
          'metal3.vcluster.com/image-url': 'https://images.example.test/noble-server-cloudimg-amd64.img',
          'metal3.vcluster.com/image-checksum': 'a'.repeat(64),
        },
      },
    });
    await createCluster('sshkeys', {
      apiVersion: API_GROUP_VERSION,
      kind: 'SSHKey',
      metadata: { name: `ops-${env.namespace}` },
      spec: {
        publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk3eOqKlvOgGvcqz4xJ7XqCq9kDh3vVVaeGLBLqX0Qm ops@example',
      },
    });
    await createCluster('nodeproviders', {
      apiVersion: API_GROUP_VERSION,
      kind: 'NodeProvider',
      metadata: { name: stack.provider },
      spec: {
        displayName: 'Test provider',
        ...(options.providerProperties && { properties: options.providerProperties(env.namespace) }),
        metal3: {
          clusterRef: { cluster: 'devstack', namespace: env.namespace },
          nodeTypes: [
            {
              name: 'compute-node',
              resources: { cpu: '32', memory: '128Gi' },
              bareMetalHosts: { selector: { matchLabels: { role: 'compute' } } },
              properties: { 'vcluster.com/os-image': stack.osImage, 'vcluster.com/ssh-keys': `ops-${env.namespace}` },
            },
          ],
        },
      },
    });
    await createSimHosts(env.kubeConfig, env.namespace, {
      count: options.hosts,
      labels: { role: 'compute' },
      ...(options.hostAnnotations && { annotations: options.hostAnnotations }),
    });
    sim = startSimulator({
      kubeConfig: env.kubeConfig,
      namespace: env.namespace,
      config: SimConfig.parse({ defaultDelayMs: options.simDelayMs ?? 100 }),
    });
    if (options.worker !== false) {
      connection = await NativeConnection.connect({ address: env.temporal.address });
      worker = await createProvisioningWorker({
        connection,
        namespace: env.temporal.namespace,
        kubeConfig: env.kubeConfig,
        taskQueue: env.taskQueue,
        workflowBundlePath: env.workflowBundlePath,
        ...(options.platformNamespace && { platformNamespace: options.platformNamespace() }),
      });
      running = worker.run();
    }
    stack.client = new MachineClient(env.temporal.client, env.kubeConfig, env.taskQueue);
    stack.claim = (name, properties = {}) => ({
      apiVersion: API_GROUP_VERSION,
      kind: 'NodeClaim',
      metadata: { name, namespace: env.namespace },
      spec: { providerRef: stack.provider, typeRef: 'compute-node', properties },
    });
    stack.waitForPhase = async (name, phase, timeout = 60_000) => {
      const machine = { namespace: env.namespace, name };
      await expect
        .poll(async () => (await stack.client.getMachineStatus(machine))?.phase, { timeout, interval: 250 })
        .toBe(phase);
      const status = await stack.client.getMachineStatus(machine);
      if (!status) throw new Error(`no status for Machine ${name}`);
      return status;
    };
    stack.secret = async (name, data) => {
      await env.kubeConfig
        .makeApiClient(CoreV1Api)
        .createNamespacedSecret({ namespace: env.namespace, body: { metadata: { name }, stringData: data } });
    };
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
    await sim.stop();
  });
  return stack;
}
