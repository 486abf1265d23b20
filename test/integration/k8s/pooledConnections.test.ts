import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../../../k8s/kubeClient.js';
import { startKubeApiProxy, type KubeApiProxy } from '../../support/kubeApiProxy.js';
import { useTestEnv } from '../../support/testEnv.js';

const env = useTestEnv();
let tlsProxy: KubeApiProxy;
let plainProxy: KubeApiProxy;

beforeAll(async () => {
  const dir = () => mkdtemp(join(tmpdir(), 'pooled-connections-'));
  tlsProxy = await startKubeApiProxy(env.kubeconfigPath, await dir(), { tls: true });
  plainProxy = await startKubeApiProxy(env.kubeconfigPath, await dir());
});
afterAll(async () => {
  await tlsProxy.close();
  await plainProxy.close();
});

const secret = (name: string) => ({ metadata: { name }, stringData: { key: 'value' } });

describe('API clients of a loaded kubeconfig', () => {
  it('keep one TLS connection, with its client certificate, for calls one after another', async () => {
    const kubeConfig = loadKubeConfig(tlsProxy.kubeconfigPath);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const coordination = kubeConfig.makeApiClient(CoordinationV1Api);
    tlsProxy.resetCounts();
    await core.createNamespacedSecret({ namespace: env.namespace, body: secret('pooled') });
    for (let i = 0; i < 10; i++) await core.readNamespacedSecret({ namespace: env.namespace, name: 'pooled' });
    await coordination.listNamespacedLease({ namespace: env.namespace });
    await core.deleteNamespacedSecret({ namespace: env.namespace, name: 'pooled' });
    // Thirteen calls through two API clients, answered by the kube-apiserver behind the proxy.
    expect(tlsProxy.counts()).toMatchObject({ reads: 11, writes: 2, connections: 1 });
  });

  it('read whole every answer, lists sent in chunks included, on connections kept between calls', async () => {
    // node-fetch, client-node's own transport, failed about one call in twenty of these with a false
    // "Premature close" on a reused connection.
    const kubeConfig = loadKubeConfig(env.kubeconfigPath);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const coordination = kubeConfig.makeApiClient(CoordinationV1Api);
    const namespace = env.namespace;
    const unexpected: string[] = [];
    /** Sends a call; a failure other than the answers `allowed` names is unexpected. */
    const call = async (allowed: RegExp | undefined, send: () => Promise<unknown>) => {
      try {
        await send();
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (!allowed?.test(message)) unexpected.push(message.split('\n')[0] ?? message);
      }
    };
    for (let round = 0; round < 25; round++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const name = `chunked-${(round * 20 + i) % 50}`;
          const secret = { metadata: { name }, stringData: { key: 'x'.repeat((i * 997) % 9000) } };
          return Promise.all([
            // Created here or still there from an earlier round (409); deleted below or already gone (404).
            call(/HTTP-Code: 409/, () => core.createNamespacedSecret({ namespace, body: secret })),
            call(/HTTP-Code: 404/, () => core.readNamespacedSecret({ namespace, name: `missing-${i}` })),
            call(undefined, () => core.listNamespacedSecret({ namespace })),
            call(/HTTP-Code: 404/, () => coordination.readNamespacedLease({ namespace, name: 'missing' })),
            call(/HTTP-Code: 404/, () => core.deleteNamespacedSecret({ namespace, name })),
          ]);
        }),
      );
    }
    expect(unexpected).toEqual([]);
  });

  it('open no more connections than calls in flight at once', async () => {
    const core = loadKubeConfig(tlsProxy.kubeconfigPath).makeApiClient(CoreV1Api);
    tlsProxy.resetCounts();
    for (let round = 0; round < 3; round++) {
      await Promise.all(Array.from({ length: 5 }, () => core.readNamespace({ name: env.namespace })));
    }
    const counts = tlsProxy.counts();
    expect(counts.reads).toBe(15);
    expect(counts.connections).toBeGreaterThanOrEqual(1);
    expect(counts.connections).toBeLessThanOrEqual(5);
  });

  it('keep connections over plain HTTP too', async () => {
    const core = loadKubeConfig(plainProxy.kubeconfigPath).makeApiClient(CoreV1Api);
    plainProxy.resetCounts();
    for (let i = 0; i < 5; i++) await core.readNamespace({ name: env.namespace });
    expect(plainProxy.counts()).toMatchObject({ reads: 5, connections: 1 });
  });

  it('close a connection idle for 4 s, before a server closes it under a call (Node servers do at 5 s)', async () => {
    const core = loadKubeConfig(plainProxy.kubeconfigPath).makeApiClient(CoreV1Api);
    plainProxy.resetCounts();
    await core.readNamespace({ name: env.namespace });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await core.readNamespace({ name: env.namespace });
    expect(plainProxy.counts()).toMatchObject({ reads: 2, connections: 1 });
    await new Promise((resolve) => setTimeout(resolve, 4_300));
    await core.readNamespace({ name: env.namespace });
    expect(plainProxy.counts()).toMatchObject({ reads: 3, connections: 2 });
  });

  it('open a new connection when the kept one was closed under them', async () => {
    const core = loadKubeConfig(tlsProxy.kubeconfigPath).makeApiClient(CoreV1Api);
    await core.readNamespace({ name: env.namespace });
    await tlsProxy.cut(50);
    // Resets are seen by the pool before the next call: it does not hand out the dead connection.
    await new Promise((resolve) => setTimeout(resolve, 50));
    tlsProxy.resetCounts();
    const namespace = await core.readNamespace({ name: env.namespace });
    expect(namespace.metadata?.name).toBe(env.namespace);
    expect(tlsProxy.counts()).toMatchObject({ reads: 1, connections: 1 });
  });
});
