import { mkdtemp } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../../../k8s/kubeClient.js';
import { readVerbOf, resourceOf, startKubeApiProxy, type KubeApiProxy } from '../../support/kubeApiProxy.js';
import { useTestEnv } from '../../support/testEnv.js';

const env = useTestEnv();
let proxy: KubeApiProxy;

beforeAll(async () => {
  proxy = await startKubeApiProxy(env.kubeconfigPath, await mkdtemp(join(tmpdir(), 'kube-api-proxy-')));
});
afterAll(async () => {
  await proxy.close();
});

const viaProxy = () => loadKubeConfig(proxy.kubeconfigPath);
const secret = (name: string) => ({ metadata: { name }, stringData: { key: 'value' } });

describe('the fault-injecting kube-apiserver proxy', () => {
  it('names the resource of a request path', () => {
    expect(resourceOf('/api/v1/namespaces/a/secrets/b')).toBe('secrets');
    expect(resourceOf('/api/v1/namespaces')).toBe('namespaces');
    expect(resourceOf('/apis/metal3.io/v1alpha1/namespaces/a/baremetalhosts/h/status?x=1')).toBe(
      'baremetalhosts/status',
    );
  });

  it('tells a get from a list and a watch', () => {
    expect(readVerbOf('/api/v1/namespaces/a/secrets/b')).toBe('get');
    expect(readVerbOf('/api/v1/namespaces/a')).toBe('get');
    expect(readVerbOf('/api/v1/namespaces/a/secrets?labelSelector=x')).toBe('list');
    expect(readVerbOf('/apis/metal3.io/v1alpha1/baremetalhosts')).toBe('list');
    expect(readVerbOf('/apis/metal3.io/v1alpha1/namespaces/a/baremetalhosts?watch=true&resourceVersion=5')).toBe(
      'watch',
    );
  });

  it('counts the requests and response bytes of gets, lists and watches, also by resource', async () => {
    const core = viaProxy().makeApiClient(CoreV1Api);
    await env.kubeConfig
      .makeApiClient(CoreV1Api)
      .createNamespacedSecret({ namespace: env.namespace, body: secret('read-counted') });
    proxy.resetCounts();
    const got = await core.readNamespacedSecret({ namespace: env.namespace, name: 'read-counted' });
    const listed = await core.listNamespacedSecret({ namespace: env.namespace });
    const counts = proxy.counts();
    expect(counts.readsByVerb.get.requests).toBe(1);
    expect(counts.readsByVerb.list.requests).toBe(1);
    expect(counts.readsByVerb.watch.requests).toBe(0);
    // At least the JSON of what came back; the list holds the secret read, so it is the longer.
    expect(counts.readsByVerb.get.bytes).toBeGreaterThanOrEqual(JSON.stringify(got).length / 2);
    expect(counts.readsByVerb.list.bytes).toBeGreaterThan(counts.readsByVerb.get.bytes);
    // The same reads by verb and resource.
    expect(counts.readsByResource).toEqual({
      'get secrets': counts.readsByVerb.get,
      'list secrets': counts.readsByVerb.list,
    });
    expect(listed.items.length).toBeGreaterThan(0);
    await core.deleteNamespacedSecret({ namespace: env.namespace, name: 'read-counted' });
  });

  it('forwards reads and writes with the client certificate, counting writes and conflicts by resource', async () => {
    proxy.resetCounts();
    const core = viaProxy().makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({ namespace: env.namespace, body: secret('counted') });
    const read = await core.readNamespacedSecret({ namespace: env.namespace, name: 'counted' });
    expect(read.metadata?.name).toBe('counted');
    await expect(core.createNamespacedSecret({ namespace: env.namespace, body: secret('counted') })).rejects.toThrow();
    await core.deleteNamespacedSecret({ namespace: env.namespace, name: 'counted' });
    expect(proxy.counts()).toMatchObject({
      reads: 1,
      writes: 3,
      writesByResource: { secrets: 3 },
      conflictsByResource: { secrets: 1 },
      injected: 0,
    });
  });

  it('streams a watch through, and a cut ends it and refuses requests until it heals', async () => {
    const events: string[] = [];
    let ended: unknown = 'open';
    await new Watch(viaProxy()).watch(
      `/api/v1/namespaces/${env.namespace}/secrets`,
      {},
      (type, object: { metadata?: { name?: string } }) => events.push(`${type} ${object.metadata?.name ?? ''}`),
      (err: unknown) => (ended = err),
    );
    await env.kubeConfig
      .makeApiClient(CoreV1Api)
      .createNamespacedSecret({ namespace: env.namespace, body: secret('watched') });
    await expect.poll(() => events).toContain('ADDED watched');

    const cut = proxy.cut(1500);
    await expect.poll(() => ended).not.toBe('open');
    const during = viaProxy().makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: env.namespace });
    await expect(during).rejects.toThrow();
    await cut;
    const after = await viaProxy().makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: env.namespace });
    expect(after.items.map((s) => s.metadata?.name)).toContain('watched');
  });

  it('answers writes with injected 409, 429 and 500 Status responses, and forwards again when stopped', async () => {
    const core = viaProxy().makeApiClient(CoreV1Api);
    for (const code of [409, 429, 500]) {
      proxy.injectFaults({ rate: 1, statuses: [code], seed: 7 });
      const failed = await core
        .createNamespacedSecret({ namespace: env.namespace, body: secret(`injected-${code}`) })
        .then(
          () => undefined,
          (err: unknown) => err as { code?: number; body?: string; headers?: Record<string, string> },
        );
      expect(failed?.code).toBe(code);
      expect(JSON.parse(failed?.body ?? '{}')).toMatchObject({ kind: 'Status', code });
      if (code === 429) expect(failed?.headers?.['retry-after']).toBe('1');
    }
    expect(proxy.counts().injectedByStatus).toMatchObject({ 409: 1, 429: 1, 500: 1 });
    const direct = env.kubeConfig.makeApiClient(CoreV1Api);
    const names = (await direct.listNamespacedSecret({ namespace: env.namespace })).items.map((s) => s.metadata?.name);
    expect(names.filter((n) => n?.startsWith('injected-'))).toEqual([]);

    // Limited to one resource, writes of others pass.
    proxy.injectFaults({ rate: 1, statuses: [409], seed: 7, resource: 'configmaps' });
    await core.createNamespacedSecret({ namespace: env.namespace, body: secret('other-resource') });
    const configMap = { metadata: { name: 'injected-configmap' } };
    await expect(core.createNamespacedConfigMap({ namespace: env.namespace, body: configMap })).rejects.toMatchObject({
      code: 409,
    });

    proxy.injectFaults({ rate: 0, statuses: [], seed: 0 });
    await core.createNamespacedSecret({ namespace: env.namespace, body: secret('after-faults') });
  });

  it('serves TLS with a client certificate of its own, as the kube-apiserver does, and counts connections', async () => {
    const tlsProxy = await startKubeApiProxy(env.kubeconfigPath, await mkdtemp(join(tmpdir(), 'kube-api-tls-')), {
      tls: true,
    });
    try {
      expect(tlsProxy.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const core = loadKubeConfig(tlsProxy.kubeconfigPath).makeApiClient(CoreV1Api);
      for (let i = 0; i < 3; i++) {
        const namespace = await core.readNamespace({ name: env.namespace });
        expect(namespace.metadata?.name).toBe(env.namespace);
      }
      // The loaded kubeconfig's API clients keep their connection: one handshake for the three calls.
      expect(tlsProxy.counts()).toMatchObject({ reads: 3, connections: 1 });
      // Without the proxy's CA and a client certificate it signed, nothing gets through.
      const stranger = https.get(tlsProxy.url, { rejectUnauthorized: false });
      await expect(
        new Promise((resolve, reject) =>
          stranger
            .on('response', (res) => {
              resolve(res.statusCode);
            })
            .on('error', reject),
        ),
      ).rejects.toThrow();
      expect(tlsProxy.counts().reads).toBe(3);
    } finally {
      await tlsProxy.close();
    }
  });
});
