import { CustomObjectsApi, Watch } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { API_GROUP } from '../../../api/objectMeta.js';
import type { NodeClaimController } from '../../../controller/nodeClaimController.js';
import { useMachineStack } from '../../support/machineStack.js';
import { claimApi, startController } from './controllerKit.js';

/**
 * The phase-change feed reconciles a claim as soon as its Machine changes phase. It must not cost
 * NodeClaim writes beyond one per change: counted here as the writes the API server made to one
 * claim (every MODIFIED event of a watch on it) over a whole provision and release, once with the
 * feed off and once with it on, with the controller's usual polls.
 */
const stack = useMachineStack({ hosts: 1 });
let controller: NodeClaimController | undefined;

afterAll(async () => {
  await controller?.stop();
});

async function countWrites(name: string, run: () => Promise<void>): Promise<number> {
  let writes = 0;
  const watch = await new Watch(stack.env.kubeConfig).watch(
    `/apis/${API_GROUP}/v1/namespaces/${stack.env.namespace}/nodeclaims`,
    { fieldSelector: `metadata.name=${name}` },
    (type) => {
      if (type === 'MODIFIED') writes++;
    },
    () => undefined,
  );
  try {
    await run();
  } finally {
    watch.abort();
  }
  return writes;
}

async function lifecycle(name: string, phaseFeedIntervalMs: number): Promise<number> {
  controller = startController(stack, name, `writes-${name}`, { settledIntervalMs: 60_000, phaseFeedIntervalMs });
  const claims = claimApi(stack);
  try {
    return await countWrites(name, async () => {
      await claims.apply(name);
      await claims.waitForPhase(name, 'Ready');
      await claims.delete(name);
      await claims.waitGone(name);
    });
  } finally {
    await controller.stop();
    controller = undefined;
  }
}

describe('NodeClaim writes per lifecycle', () => {
  it('with the phase-change feed on, stay within one write per phase change of the feed-off count', async () => {
    const objects = stack.env.kubeConfig.makeApiClient(CustomObjectsApi);
    await expect
      .poll(
        async () =>
          (
            (await objects.getNamespacedCustomObject({
              group: 'metal3.io',
              version: 'v1alpha1',
              namespace: stack.env.namespace,
              plural: 'baremetalhosts',
              name: 'sim-host-001',
            })) as { status?: { provisioning?: { state?: string } } }
          ).status?.provisioning?.state,
        { timeout: 30_000 },
      )
      .toBe('available');
    const off = await lifecycle('feed-off', 0);
    // The claim is gone once its Machine was released, so the only host is available again.
    const on = await lifecycle('feed-on', 1_000);
    // Pending, Provisioning, Ready, Releasing, Released: at most one more write each.
    console.log(`NodeClaim writes per provision and release: feed off ${off}, feed on ${on}`);
    expect(on).toBeLessThanOrEqual(off + 5);
  });
});
