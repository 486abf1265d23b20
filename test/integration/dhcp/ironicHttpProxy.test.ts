import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpBootServer } from '../../../dhcp/httpboot/httpBootServer.js';
import { LeaseAddressIndex } from '../../../dhcp/hosts/leaseAddressIndex.js';
import { rawHttp, request } from '../../support/agentStandIn.js';
import { byteAt, IronicHttpStandIn } from '../../support/ironicStandIn.js';

/**
 * The HTTP boot server forwarding everything it does not serve itself to Ironic's HTTP server:
 * streamed, ranges and HEAD passed through, aborted with its client, never an open proxy.
 */

const LARGE = 64 * 1024 * 1024;
const kernel = randomBytes(300_000);
const root = mkdtempSync(path.join(tmpdir(), 'http-proxy-boot-'));
const logLines: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
let elsewhere: http.Server;
let elsewhereHits = 0;
let ironic: IronicHttpStandIn;
let server: HttpBootServer;
let base: string;

beforeAll(async () => {
  writeFileSync(path.join(root, 'snponly.efi'), 'local boot file');
  elsewhere = http.createServer((_req, res) => {
    elsewhereHits++;
    res.end('elsewhere');
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.4', resolve));
  const elsewherePort = (elsewhere.address() as { port: number }).port;
  ironic = await IronicHttpStandIn.start({
    kernel,
    largeSize: LARGE,
    redirectTo: `http://127.0.0.4:${elsewherePort}/stolen`,
  });
  server = new HttpBootServer({
    listenHost: '127.0.0.1',
    port: 0,
    root,
    lookup: new LeaseAddressIndex(),
    scripts: {
      imagesUrl: 'http://127.0.0.1:1',
      callbackUrl: 'http://127.0.0.1:2',
      inspectorCollectors: 'default',
      inspectorExtraKernelParams: [],
      installerExtraKernelParams: [],
    },
    ironicHttpUrl: ironic.url,
    logger,
  });
  await server.start();
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await ironic.close();
  await new Promise<void>((resolve) =>
    elsewhere.close(() => {
      resolve();
    }),
  );
  rmSync(root, { recursive: true, force: true });
});

describe('Ironic HTTP proxy', () => {
  it('serves the agent kernel from Ironic, byte for byte, and keeps /boot/ local', async () => {
    const answer = await new Promise<{ status: number; body: Buffer; etag?: string }>((resolve, reject) => {
      http
        .get(`${base}/images/ironic-python-agent.kernel`, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), etag: res.headers.etag });
          });
        })
        .on('error', reject);
    });
    expect(answer.status).toBe(200);
    expect(answer.body.equals(kernel)).toBe(true);
    expect(answer.etag).toBe('"kernel-1"');
    expect((await request(`${base}/boot/snponly.efi`)).body).toBe('local boot file');
    expect(ironic.requests.some((r) => r.url.startsWith('/boot/'))).toBe(false);
    expect(server.proxyStats.forwarded['ironic-http']).toBeGreaterThanOrEqual(1);
  });

  it('passes a Range request through and returns 206 with Content-Range', async () => {
    const answer = await request(`${base}/images/ironic-python-agent.kernel`, { headers: { range: 'bytes=100-199' } });
    expect(answer.status).toBe(206);
    expect(answer.headers['content-range']).toBe(`bytes 100-199/${kernel.length}`);
    expect(answer.headers['content-length']).toBe('100');
    expect(answer.bytes.equals(kernel.subarray(100, 200))).toBe(true);
    expect(ironic.requests.at(-1)?.headers.range).toBe('bytes=100-199');
  });

  it('answers HEAD with the upstream headers and no body', async () => {
    const answer = await request(`${base}/images/ironic-python-agent.kernel`, { method: 'HEAD' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe(String(kernel.length));
    expect(answer.body).toBe('');
    expect(ironic.requests.at(-1)?.method).toBe('HEAD');
  });

  it('streams a 64 MiB image: bytes arrive before the upstream finished, and a paused client holds the upstream back', async () => {
    let received = 0;
    let mismatch = -1;
    let sawBytesBeforeUpstreamFinished = false;
    let aheadWhilePaused = Number.NaN;
    await new Promise<void>((resolve, reject) => {
      http
        .get(`${base}/images/large.img`, (res) => {
          expect(res.statusCode).toBe(200);
          res.on('data', (chunk: Buffer) => {
            if (mismatch === -1 && chunk[0] !== byteAt(received)) mismatch = received;
            received += chunk.length;
            if (received === chunk.length) {
              // The upstream holds everything after its first MiB back until we have seen bytes.
              sawBytesBeforeUpstreamFinished = !ironic.largeFinished;
              ironic.releaseGate();
              // Then stop reading: a buffering proxy would keep taking the whole image meanwhile.
              res.pause();
              setTimeout(() => {
                aheadWhilePaused = ironic.largeWritten - received;
                res.resume();
              }, 1500);
            }
          });
          res.on('end', resolve);
          res.on('error', reject);
        })
        .on('error', reject);
    });
    expect(sawBytesBeforeUpstreamFinished).toBe(true);
    expect(received).toBe(LARGE);
    expect(mismatch).toBe(-1);
    // What is in flight is a few socket buffers and stream chunks, not the image.
    expect(aheadWhilePaused).toBeLessThan(LARGE / 3);
  });

  it('aborts the upstream request when the client disconnects', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.get(`${base}/images/stall`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      setTimeout(() => {
        reject(new Error('no bytes from /images/stall'));
      }, 5000);
    });
    const deadline = Date.now() + 5000;
    while (!ironic.closedEarly.includes('/images/stall') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ironic.closedEarly).toContain('/images/stall');
    expect(server.proxyStats.clientAborted).toBeGreaterThanOrEqual(1);
  });

  it('passes a redirect back to the client without following it', async () => {
    const answer = await request(`${base}/images/moved`);
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toMatch(/^http:\/\/127\.0\.0\.4:\d+\/stolen$/);
    expect(elsewhereHits).toBe(0);
  });

  it('answers 502 with a logged reason when Ironic cannot be reached', async () => {
    const down = new HttpBootServer({
      listenHost: '127.0.0.1',
      port: 0,
      root,
      lookup: new LeaseAddressIndex(),
      scripts: {
        imagesUrl: 'http://127.0.0.1:1',
        callbackUrl: 'http://127.0.0.1:2',
        inspectorCollectors: 'default',
        inspectorExtraKernelParams: [],
        installerExtraKernelParams: [],
      },
      ironicHttpUrl: 'http://127.0.0.1:1',
      logger,
    });
    await down.start();
    try {
      const answer = await request(`http://127.0.0.1:${down.port}/images/ironic-python-agent.kernel`);
      expect(answer.status).toBe(502);
      expect(answer.body).toContain('ECONNREFUSED');
      expect(down.proxyStats.failed['upstream-error']).toBe(1);
      expect(logLines.some((line) => line.includes('"status":502') && line.includes('ECONNREFUSED'))).toBe(true);
    } finally {
      await down.close();
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const before = ironic.requests.length;
    expect((await request(`${base}/images/ironic-python-agent.kernel`, { method: 'POST', body: '{}' })).status).toBe(
      405,
    );
    expect((await request(`${base}/images/ironic-python-agent.kernel`, { method: 'DELETE' })).status).toBe(405);
    expect(ironic.requests.length).toBe(before);
  });

  it('refuses an absolute-form request target (not a forward proxy)', async () => {
    const port = (elsewhere.address() as { port: number }).port;
    const status = await rawHttp(
      '127.0.0.1',
      server.port,
      `GET http://127.0.0.4:${port}/ HTTP/1.1\r\nHost: 127.0.0.4\r\n\r\n`,
    );
    expect(status).toMatch(/^HTTP\/1\.1 400/);
    expect(elsewhereHits).toBe(0);
  });

  it('refuses CONNECT', async () => {
    const port = (elsewhere.address() as { port: number }).port;
    const status = await rawHttp(
      '127.0.0.1',
      server.port,
      `CONNECT 127.0.0.4:${port} HTTP/1.1\r\nHost: 127.0.0.4:${port}\r\n\r\n`,
    );
    expect(status).toMatch(/^HTTP\/1\.1 405/);
    expect(elsewhereHits).toBe(0);
    expect(server.proxyStats.refused.connect).toBe(1);
  });

  it('refuses dot segments, plain and encoded, and encoded slashes', async () => {
    const before = ironic.requests.length;
    // Sent raw: a URL-parsing client would resolve the dot segments before sending.
    for (const target of [
      '/images/../../x',
      '/images/%2e%2e/%2e%2e/etc/passwd',
      '/images/.%2E/secret',
      '/images/..%2fsecret',
      '/images/%252e%252e/secret',
      '/images//ironic-python-agent.kernel',
    ]) {
      const status = await rawHttp('127.0.0.1', server.port, `GET ${target} HTTP/1.1\r\nHost: a\r\n\r\n`);
      expect(status, target).toMatch(/^HTTP\/1\.1 400/);
    }
    expect(ironic.requests.length).toBe(before);
  });

  it('sends Ironic only download headers, with its own Host', async () => {
    await request(`${base}/images/ironic-python-agent.kernel`, {
      headers: {
        host: 'evil.example',
        cookie: 'session=1',
        authorization: 'Bearer stolen',
        'x-forwarded-host': 'evil.example',
        'if-none-match': '"kernel-0"',
      },
    });
    const seen = ironic.requests.at(-1)?.headers ?? {};
    expect(seen.host).toBe(new URL(ironic.url).host);
    expect(seen.cookie).toBeUndefined();
    expect(seen.authorization).toBeUndefined();
    expect(seen['x-forwarded-host']).toBeUndefined();
    expect(seen['if-none-match']).toBe('"kernel-0"');
  });
});
