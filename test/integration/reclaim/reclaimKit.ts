import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { expect } from 'vitest';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { createBareMetalHostApi, type BareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { IPALLOC_GROUP, IPALLOC_PLURAL, IPALLOC_VERSION } from '../../../k8s/ipAllocations.js';
import type { MachineStack } from '../../support/machineStack.js';
import { runReclaimOnce } from '../../../cli/reclaimCommand.js';
import type { ReclaimInput, ReclaimReport } from '../../../contracts/reclaimContract.js';

/** A host as a user sees it: everything but status and server-managed metadata. */
export function userView(host: BareMetalHost) {
  const {
    resourceVersion: _rv,
    managedFields: _mf,
    generation: _g,
    ...metadata
  } = host.metadata as Record<string, unknown>;
  return { metadata, spec: host.spec };
}

export function hostApi(stack: MachineStack): BareMetalHostApi {
  return createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
}

export async function hostNames(stack: MachineStack): Promise<string[]> {
  await expect
    .poll(
      async () =>
        (await hostApi(stack).list()).items.filter((h) => h.status?.provisioning?.state === 'available').length,
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  return (await hostApi(stack).list()).items.map((h) => h.metadata.name).sort();
}

export interface AllocationView {
  metadata: { name: string; resourceVersion?: string };
  spec: { address: string; machine: { namespace: string; name: string } };
}

export async function allocations(stack: MachineStack): Promise<AllocationView[]> {
  const list = (await stack.env.kubeConfig.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
    group: IPALLOC_GROUP,
    version: IPALLOC_VERSION,
    namespace: stack.env.namespace,
    plural: IPALLOC_PLURAL,
  })) as { items: AllocationView[] };
  return list.items;
}

/** The Machine Secrets of the namespace as `<machine>: <secret name>`, sorted. */
export async function machineSecrets(stack: MachineStack): Promise<string[]> {
  const { items } = await stack.env.kubeConfig
    .makeApiClient(CoreV1Api)
    .listNamespacedSecret({ namespace: stack.env.namespace, labelSelector: 'metal3-provider.io/machine-name' });
  return items
    .map((s) => `${s.metadata?.labels?.['metal3-provider.io/machine-name'] ?? ''}: ${s.metadata?.name ?? ''}`)
    .sort();
}

/** Everything a reclaim could touch, with resource versions: equal snapshots mean nothing was written. */
export async function snapshot(stack: MachineStack) {
  const { items: secrets } = await stack.env.kubeConfig
    .makeApiClient(CoreV1Api)
    .listNamespacedSecret({ namespace: stack.env.namespace });
  return {
    hosts: (await hostApi(stack).list()).items.map((h) => ({ ...userView(h), rv: h.metadata.resourceVersion })),
    allocations: await allocations(stack),
    secrets: secrets.map((s) => ({
      name: s.metadata?.name,
      rv: s.metadata?.resourceVersion,
      labels: s.metadata?.labels,
    })),
  };
}

let runs = 0;

/** Runs the reclaim on this file's task queue, limited to its NodeProvider; returns the report and the workflow id. */
export async function reclaim(
  stack: MachineStack,
  input: Omit<ReclaimInput, 'providers'> = {},
): Promise<{ report: ReclaimReport; workflowId: string }> {
  runs += 1;
  const workflowId = `fleet-reclaim-${stack.env.namespace}-${runs}`;
  const report = await runReclaimOnce(
    stack.env.temporal.client,
    { ...input, providers: [stack.provider] },
    { taskQueue: stack.env.taskQueue, workflowId },
  );
  return { report, workflowId };
}

/** What the Web UI shows for a workflow: its current details (setCurrentDetails). */
export async function currentDetails(client: Client, workflowId: string): Promise<string> {
  const metadata = await client.workflow
    .getHandle(workflowId)
    .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

/** Kills a Machine workflow without any cleanup, the way a lost workflow leaves its objects behind. */
export async function kill(handle: WorkflowHandle): Promise<void> {
  await handle.terminate('test: leave the Machine’s objects behind');
  await expect(handle.result()).rejects.toThrow();
}

export function names(report: ReclaimReport, kind: 'hosts' | 'addresses' | 'secrets'): string[] {
  return report[kind].items.map((item) => `${item.machine.split('/')[1] ?? ''} ${item.name} ${item.outcome}`).sort();
}
