import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { resolveTool } from '../../../devstack/resolveTool.js';
import { startTemporalDevServer } from '../../../devstack/startTemporalDevServer.js';

/** The codec settings the Web UI serves to browsers. */
async function uiCodecSettings(uiUrl: string): Promise<{ Endpoint: string }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const response = await fetch(`${uiUrl}/api/v1/settings`);
      if (response.ok) return ((await response.json()) as { Codec: { Endpoint: string } }).Codec;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Web UI at ${uiUrl} did not answer: ${String(lastError)}`);
}

describe('devstack --ui-codec-endpoint', () => {
  it('points the dev server Web UI at the codec server', async () => {
    const temporal = await resolveTool('temporal', () => undefined);
    const dir = await mkdtemp(join(tmpdir(), 'ui-codec-'));
    const server = await startTemporalDevServer(temporal.path, dir, { uiCodecEndpoint: 'http://127.0.0.1:8888' });
    try {
      expect((await uiCodecSettings(server.uiUrl)).Endpoint).toBe('http://127.0.0.1:8888');
    } finally {
      for (const p of server.processes) await p.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves the Web UI without a codec endpoint by default', async () => {
    expect((await uiCodecSettings(inject('devstack').temporalUiUrl)).Endpoint).toBe('');
  });
});
