import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { HealthServer, Readiness } from '../../../worker/bootHealth.js';

let server: HealthServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(readiness: Readiness, metrics: () => string): Promise<string> {
  server = new HealthServer({ host: '127.0.0.1', port: 0, readiness, metrics, logger: pino({ level: 'silent' }) });
  await server.start();
  return server.url;
}

describe('health listener', () => {
  it('is live while not ready, names what it waits for, and turns ready when every condition holds', async () => {
    const readiness = new Readiness(['host-index', 'boot-servers']);
    const url = await start(readiness, () => '');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const waiting = await fetch(`${url}/readyz`);
    expect(waiting.status).toBe(503);
    expect(await waiting.text()).toBe('not ready: host-index, boot-servers\n');
    readiness.set('host-index', true);
    expect(await (await fetch(`${url}/readyz`)).text()).toBe('not ready: boot-servers\n');
    readiness.set('boot-servers', true);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    // A condition can be lost again (the Temporal worker stopped).
    readiness.set('boot-servers', false);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
  });

  it('serves metrics as Prometheus text, rendered per request, and 500 when rendering fails', async () => {
    let count = 0;
    const url = await start(new Readiness([]), () => {
      count++;
      if (count > 1) throw new Error('broken');
      return 'x_total 1\n';
    });
    const first = await fetch(`${url}/metrics`);
    expect(first.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await first.text()).toBe('x_total 1\n');
    expect((await fetch(`${url}/metrics`)).status).toBe(500);
    expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
    expect((await fetch(`${url}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses to set a condition it does not know', () => {
    expect(() => {
      new Readiness(['a']).set('b', true);
    }).toThrow(/unknown readiness condition "b"/);
  });
});
