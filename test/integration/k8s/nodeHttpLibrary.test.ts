import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { HttpMethod, RequestContext } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyApiError } from '../../../k8s/apiErrors.js';
import { createNodeHttpLibrary } from '../../../k8s/nodeHttpLibrary.js';

/**
 * A kept connection can die without a word, or close halfway through an answer. A call on it must
 * fail as a transient API error (so the step is retried), never wait for ever: it would hold its
 * activity and one connection of the pool until the process ends.
 */
let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function listen(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const call = (base: string, idleMs: number) =>
  createNodeHttpLibrary(idleMs)
    .send(new RequestContext(`${base}/api/v1/namespaces/default/secrets`, HttpMethod.GET))
    .toPromise();

describe('API calls sent with node:http', () => {
  it('fail as transient when the answer stops coming, naming the call', async () => {
    const base = await listen(() => undefined);
    const started = Date.now();
    const err: unknown = await call(base, 300).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      'no answer to GET /api/v1/namespaces/default/secrets for 0.3 s; the connection is taken for dead',
    );
    expect(classifyApiError(err).kind).toBe('transient');
  });

  it('fail as transient when the connection closes halfway through the answer', async () => {
    const base = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"kind":"SecretList",');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const err: unknown = await call(base, 5_000).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/GET \/api\/v1\/namespaces\/default\/secrets/);
    expect(classifyApiError(err).kind).toBe('transient');
  });

  it('ask for compressed answers, as the kube-apiserver compresses large lists, and read them decompressed', async () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ metadata: { name: `host-${i}` } }));
    let accepted: string | undefined;
    const base = await listen((req, res) => {
      accepted = req.headers['accept-encoding'];
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ kind: 'SecretList', items })));
    });
    const answer = await call(base, 5_000);
    expect(accepted).toBe('gzip');
    expect(JSON.parse(await answer.body.text())).toEqual({ kind: 'SecretList', items });
    expect(answer.headers['content-encoding']).toBeUndefined();
  });

  it('read a slow answer whole as long as it keeps coming', async () => {
    const base = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const parts = ['{"kind":', '"SecretList",', '"items":', '[]}'];
      const next = () => {
        const part = parts.shift();
        if (part === undefined) res.end();
        else {
          res.write(part);
          setTimeout(next, 150);
        }
      };
      next();
    });
    // Each pause (150 ms) is under the idle limit (300 ms); the whole answer takes longer than it.
    const answer = await call(base, 300);
    expect(answer.httpStatusCode).toBe(200);
    expect(JSON.parse(await answer.body.text())).toEqual({ kind: 'SecretList', items: [] });
  });
});
