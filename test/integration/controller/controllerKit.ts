import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { pino } from 'pino';
import { API_GROUP } from '../../../api/objectMeta.js';
import { NodeClaimStatus } from '../../../api/nodeClaim.js';
import { NodeClaimController } from '../../../controller/nodeClaimController.js';
import { NODECLAIM_FINALIZER } from '../../../controller/nodeClaimApi.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import type { MachineStack } from '../../support/machineStack.js';

/** Lease timing short enough for a test to watch a takeover: expiry after 3 s, renewals every 0.4 s. */
export const TEST_LEASE = { leaseDurationSeconds: 3, renewDeadlineMs: 2_000, retryPeriodMs: 400 };

export interface StoredClaim {
  metadata: { name: string; uid: string; finalizers?: string[]; deletionTimestamp?: string };
  status?: NodeClaimStatus;
}

/** Waits until the simulator has made `count` of this file's hosts available, as a test's first claims need. */
export async function awaitAvailableHosts(stack: MachineStack, count: number): Promise<void> {
  const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
  await expect
    .poll(async () => (await hosts.list()).items.filter((h) => h.status?.provisioning?.state === 'available').length, {
      timeout: 30_000,
    })
    .toBe(count);
}

/** A controller replica on this file's namespace and task queue, on the given Lease. */
export function startController(
  stack: MachineStack,
  identity: string,
  leaseName: string,
  intervals: { pollIntervalMs?: number; settledIntervalMs?: number; phaseFeedIntervalMs?: number } = {},
): NodeClaimController {
  const controller = new NodeClaimController({
    kubeConfig: stack.env.kubeConfig,
    machines: stack.client,
    logger: pino({ level: process.env.CONTROLLER_TEST_LOG ?? 'silent', base: { identity } }),
    namespace: stack.env.namespace,
    lease: { name: leaseName, namespace: stack.env.namespace, identity, ...TEST_LEASE },
    pollIntervalMs: 500,
    // Ready Machines are looked at every 2 s, so a release from outside shows up quickly.
    settledIntervalMs: 2_000,
    ...intervals,
  });
  controller.start();
  return controller;
}

export function claimApi(stack: MachineStack) {
  const api = stack.env.kubeConfig.makeApiClient(CustomObjectsApi);
  const where = () => ({ group: API_GROUP, version: 'v1', namespace: stack.env.namespace, plural: 'nodeclaims' });
  return {
    /** Creates the NodeClaim through the API, as `kubectl apply` of a new object does. */
    async apply(name: string, properties: Record<string, string> = {}): Promise<void> {
      await api.createNamespacedCustomObject({ ...where(), body: stack.claim(name, properties) });
    },
    async get(name: string): Promise<StoredClaim | undefined> {
      try {
        return (await api.getNamespacedCustomObject({ ...where(), name })) as StoredClaim;
      } catch {
        return undefined;
      }
    },
    /** Changes the claim's labels (a merge patch, as `kubectl label` sends). */
    async label(name: string, labels: Record<string, string>): Promise<void> {
      await api.patchNamespacedCustomObject(
        { ...where(), name, body: { metadata: { labels } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    },
    async delete(name: string): Promise<void> {
      await api.deleteNamespacedCustomObject({ ...where(), name });
    },
    /** `kubectl get nodeclaims`: the apiserver's table with the CRD's printer columns. */
    async table(): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
      const table = (await api.listNamespacedCustomObject(
        where(),
        setHeaderOptions('Accept', 'application/json;as=Table;v=v1;g=meta.k8s.io'),
      )) as { columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
      const columns = table.columnDefinitions.map((c) => c.name);
      return {
        columns,
        rows: table.rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r.cells[i]]))),
      };
    },
    /** Polls until the claim's status is in `phase`; a timeout says which phase and condition it was in. */
    async waitForPhase(name: string, phase: string, timeout = 60_000): Promise<StoredClaim> {
      const deadline = Date.now() + timeout;
      for (;;) {
        const claim = await this.get(name);
        if (claim?.status?.phase === phase) return claim;
        if (Date.now() > deadline) {
          const ready = claim?.status?.conditions?.find((c) => c.type === 'Ready');
          throw new Error(
            `NodeClaim ${name} did not reach ${phase} in ${timeout} ms: ${claim?.status?.phase ?? 'no status'}, ${ready?.reason ?? ''}: ${ready?.message ?? ''}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async waitGone(name: string, timeout = 60_000): Promise<void> {
      await expect.poll(async () => (await this.get(name)) === undefined, { timeout, interval: 200 }).toBe(true);
    },
    /** Waits until the claim has an Event with `reason` (Events are recorded just after the status they stand for). */
    async waitForEvent(name: string, reason: string, timeout = 10_000): Promise<void> {
      await expect
        .poll(async () => (await this.events(name)).map((e) => e.reason), { timeout, interval: 100 })
        .toContain(reason);
    },
    /** The claim's Events as `kubectl describe` lists them: reason and message, oldest first. */
    async events(name: string): Promise<{ type: string; reason: string; message: string }[]> {
      const list = await stack.env.kubeConfig.makeApiClient(CoreV1Api).listNamespacedEvent({
        namespace: stack.env.namespace,
        fieldSelector: `involvedObject.kind=NodeClaim,involvedObject.name=${name}`,
      });
      return list.items
        .sort((a, b) => (a.firstTimestamp?.getTime() ?? 0) - (b.firstTimestamp?.getTime() ?? 0))
        .map((e) => ({ type: e.type ?? '', reason: e.reason ?? '', message: e.message ?? '' }));
    },
  };
}

export { NODECLAIM_FINALIZER };

/**
 * How many times the claim's workflow was started (open or closed); a Ready Machine's run that
 * continued as new belongs to the same start.
 */
export async function workflowStarts(stack: MachineStack, name: string): Promise<number> {
  let count = 0;
  const query = `WorkflowId = 'machine/${stack.env.namespace}/${name}' AND ExecutionStatus != 'ContinuedAsNew'`;
  for await (const _ of stack.env.temporal.client.workflow.list({ query })) count++;
  return count;
}
