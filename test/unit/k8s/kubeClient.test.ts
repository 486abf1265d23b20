import http from 'node:http';
import https from 'node:https';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadKubeConfig } from '../../../k8s/kubeClient.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A kubeconfig with two users of client certificates (not real ones: no connection is made with them). */
async function kubeconfigFile(server: string, cluster: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kube-client-'));
  const path = join(dir, 'kubeconfig');
  const user = (name: string) => ({
    name,
    user: { 'client-certificate-data': b64(`cert of ${name}`), 'client-key-data': b64(`key of ${name}`) },
  });
  await writeFile(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, ...cluster } }],
      users: [user('alice'), user('bob')],
      contexts: [
        { name: 'alice', context: { cluster: 'c', user: 'alice' } },
        { name: 'bob', context: { cluster: 'c', user: 'bob' } },
      ],
      'current-context': 'alice',
    }),
  );
  return path;
}

describe('loadKubeConfig', () => {
  it('gives requests with the same server and credentials one keep-alive agent, and other credentials another', async () => {
    const kc = loadKubeConfig(
      await kubeconfigFile('https://127.0.0.1:6443', { 'certificate-authority-data': b64('ca') }),
    );
    const first = (await kc.applyToFetchOptions({})).agent;
    const second = (await kc.applyToFetchOptions({})).agent;
    expect(first).toBeInstanceOf(https.Agent);
    expect(second).toBe(first);
    expect((first as https.Agent & { keepAlive: boolean }).keepAlive).toBe(true);
    expect((first as https.Agent & { options: https.AgentOptions }).options.cert).toEqual(Buffer.from('cert of alice'));

    kc.setCurrentContext('bob');
    const bobs = (await kc.applyToFetchOptions({})).agent as https.Agent & { options: https.AgentOptions };
    expect(bobs).not.toBe(first);
    expect(bobs.options.cert).toEqual(Buffer.from('cert of bob'));
  });

  describe('against a server counting connections', () => {
    let server: http.Server;
    let connections = 0;
    let url = '';
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' } }));
      });
      server.on('connection', () => connections++);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      if (!address || typeof address !== 'object') throw new Error('no address');
      url = `http://127.0.0.1:${address.port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('sends consecutive API calls over one connection', async () => {
      const kc = loadKubeConfig(await kubeconfigFile(url, { 'insecure-skip-tls-verify': true }));
      const core = kc.makeApiClient(CoreV1Api);
      for (let i = 0; i < 5; i++) {
        const secret = await core.readNamespacedSecret({ namespace: 'n', name: 's' });
        expect(secret.metadata?.name).toBe('s');
      }
      // A second client of the same kubeconfig shares the connection too.
      await kc.makeApiClient(CoreV1Api).readNamespacedSecret({ namespace: 'n', name: 's' });
      expect(connections).toBe(1);
    });
  });
});
