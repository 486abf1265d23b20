import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { API_GROUP } from '../../../api/objectMeta.js';
import type { NodeClaimController } from '../../../controller/nodeClaimController.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { useMachineStack } from '../../support/machineStack.js';
import { awaitAvailableHosts, claimApi, startController, workflowStarts, type StoredClaim } from './controllerKit.js';

/**
 * A controller started for one namespace (`--watch-namespace`) watches hosts in every namespace, as
 * a host's consumer may live elsewhere; a host whose consumerRef names a claim of another namespace
 * must not bring that claim into this controller's queue: it belongs to another tenant and another
 * controller, which would find its finalizer added and a Machine started behind its back.
 */
const stack = useMachineStack({ hosts: 2 });
let controller: NodeClaimController | undefined;
const other = `${stack.env.namespace}-other`;
const core = () => stack.env.kubeConfig.makeApiClient(CoreV1Api);

afterAll(async () => {
  await controller?.stop();
  await core()
    .deleteNamespace({ name: other })
    .catch(() => undefined);
});

describe('a namespace-scoped NodeClaim controller', () => {
  it("leaves another namespace's claim alone when a host it watches names that claim as consumer", async () => {
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await awaitAvailableHosts(stack, 2);
    await core().createNamespace({ body: { metadata: { name: other } } });
    const objects = stack.env.kubeConfig.makeApiClient(CustomObjectsApi);
    const where = { group: API_GROUP, version: 'v1', namespace: other, plural: 'nodeclaims' };
    const outsider = stack.claim('outsider');
    const created = (await objects.createNamespacedCustomObject({
      ...where,
      body: { ...outsider, metadata: { ...outsider.metadata, namespace: other } },
    })) as StoredClaim;
    // One host of this namespace points at the other namespace's claim, as a host claimed from there would.
    const [host] = (await hosts.list()).items;
    if (!host) throw new Error('no host listed');
    await hosts.replace({
      ...host,
      spec: {
        ...host.spec,
        consumerRef: { apiVersion: `${API_GROUP}/v1`, kind: 'NodeClaim', namespace: other, name: 'outsider' },
      },
    });

    controller = startController(stack, 'scoped', 'namespace-scope');
    // This namespace's own claim goes all the way, so the controller has long listed the hosts by then.
    const claims = claimApi(stack);
    await claims.apply('insider');
    await claims.waitForPhase('insider', 'Ready');

    const untouched = (await objects.getNamespacedCustomObject({ ...where, name: 'outsider' })) as StoredClaim;
    expect(untouched.metadata.finalizers ?? []).toEqual(created.metadata.finalizers ?? []);
    expect(untouched.status).toBeUndefined();
    expect(await workflowStarts({ ...stack, env: { ...stack.env, namespace: other } }, 'outsider')).toBe(0);
    expect(controller.counters.actions.addFinalizer).toBe(1);
  });
});
