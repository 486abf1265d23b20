import { ApiException, CoreV1Api, CustomObjectsApi, Watch, type V1Secret } from '@kubernetes/client-node';
import { NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { BMH_GROUP, BMH_PLURAL, BMH_VERSION, type BareMetalHost } from '../../api/bareMetalHost.js';
import { classifyApiError } from '../../k8s/apiErrors.js';
import { customSearchAttributes } from '../../contracts/searchAttributes.js';
import type { echoWorkflow } from '../support/testWorkflows.js';
import { specExampleIn } from '../support/specExamples.js';
import { useTestEnv } from '../support/testEnv.js';

// Proves the devstack is the real thing: a kube-apiserver with etcd that stores, versions and
// watches objects, and a Temporal server that runs workflows and keeps their history.
const env = useTestEnv();

describe('devstack smoke', () => {
  const bmhRef = (name: string) => ({
    group: BMH_GROUP,
    version: BMH_VERSION,
    plural: BMH_PLURAL,
    namespace: env.namespace,
    name,
  });

  it('stores the spec BareMetalHost and its BMC Secret, rejects stale writes with 409, and streams changes', async () => {
    const core = env.kubeConfig.makeApiClient(CoreV1Api);
    const objects = env.kubeConfig.makeApiClient(CustomObjectsApi);
    const secret = await specExampleIn<V1Secret & { metadata: { namespace?: string } }>(
      'bmc-secret.yaml',
      env.namespace,
    );
    await core.createNamespacedSecret({ namespace: env.namespace, body: secret });
    const stored = await core.readNamespacedSecret({ name: 'server-01-bmc', namespace: env.namespace });
    expect(Buffer.from(stored.data?.username ?? '', 'base64').toString()).toBe('admin');

    const host = await specExampleIn<BareMetalHost>('baremetalhost.yaml', env.namespace);
    // BMO's CRD requires spec.online, which the spec's example leaves out (the walkthrough's copy has it).
    host.spec.online = false;
    const { plural, group, version, namespace } = bmhRef('server-01');
    await objects.createNamespacedCustomObject({ group, version, namespace, plural, body: host });
    const first = (await objects.getNamespacedCustomObject(bmhRef('server-01'))) as BareMetalHost;
    expect(first.spec.bootMACAddress).toBe('aa:bb:cc:dd:ee:01');

    const events: { type: string; labels: Record<string, string> }[] = [];
    const watch = await new Watch(env.kubeConfig).watch(
      `/apis/${group}/${version}/namespaces/${namespace}/${plural}`,
      { resourceVersion: first.metadata.resourceVersion },
      (type: string, obj: BareMetalHost) => events.push({ type, labels: obj.metadata.labels ?? {} }),
      () => undefined,
    );
    try {
      const updated = structuredClone(first);
      updated.metadata.labels = { ...updated.metadata.labels, rack: 'r1' };
      const second = (await objects.replaceNamespacedCustomObject({
        ...bmhRef('server-01'),
        body: updated,
      })) as BareMetalHost;
      expect(second.metadata.resourceVersion).not.toBe(first.metadata.resourceVersion);

      const stale = structuredClone(first);
      stale.metadata.labels = { ...stale.metadata.labels, rack: 'r2' };
      const conflict = await objects.replaceNamespacedCustomObject({ ...bmhRef('server-01'), body: stale }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(conflict).toBeInstanceOf(ApiException);
      expect((conflict as ApiException<unknown>).code).toBe(409);
      expect(classifyApiError(conflict).kind).toBe('conflict');

      await expect.poll(() => events.find((e) => e.type === 'MODIFIED')?.labels.rack, { timeout: 10_000 }).toBe('r1');
    } finally {
      watch.abort();
    }
  });

  it('runs a workflow on the Temporal dev server and reads its history back', async () => {
    const connection = await NativeConnection.connect({ address: env.temporal.address });
    const worker = await Worker.create({
      connection,
      taskQueue: env.taskQueue,
      workflowBundle: { codePath: env.workflowBundlePath },
      activities: { echo: (message: string) => Promise.resolve(`echo: ${message}`) },
    });
    const workflowId = `smoke-${env.taskQueue}`;
    const result = await worker
      .runUntil(
        env.temporal.client.workflow.execute<typeof echoWorkflow>('echoWorkflow', {
          taskQueue: env.taskQueue,
          workflowId,
          args: ['hello'],
        }),
      )
      .finally(() => connection.close());
    expect(result).toBe('echo: hello');
    const history = await env.temporal.client.workflow.getHandle(workflowId).fetchHistory();
    const events = history.events ?? [];
    expect(events[0]?.workflowExecutionStartedEventAttributes?.taskQueue?.name).toBe(env.taskQueue);
    expect(events.some((e) => e.activityTaskCompletedEventAttributes)).toBe(true);
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
  });

  it('has the custom search attributes registered', async () => {
    const { customAttributes } = await env.temporal.connection.operatorService.listSearchAttributes({
      namespace: env.temporal.namespace,
    });
    for (const key of customSearchAttributes) {
      expect(Object.keys(customAttributes)).toContain(key.name);
    }
  });
});
