import { randomBytes } from 'node:crypto';
import { DefaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmCodec, METADATA_ENCRYPTION_NAMESPACE } from '../../codec/aesGcmCodec.js';
import { codecResponse } from '../../codec/codecJson.js';
import type { CodecKeys } from '../../codec/codecKeys.js';
import { startCodecServer, type RunningCodecServer } from '../../codec/codecServer.js';

/**
 * Attack: a payload copied from one Temporal namespace's history into a request for another (replay),
 * altered, or stripped of its namespace. Expected: the codec server refuses each with 400 and a clear
 * error, and decodes nothing; the payload still decodes in its own namespace.
 */

const keys: CodecKeys = { current: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
const converter = new DefaultPayloadConverter();
let server: RunningCodecServer;

function post(path: string, body: string, namespace?: string): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(namespace !== undefined && { 'x-namespace': namespace }) },
    body,
  });
}

beforeAll(async () => {
  server = await startCodecServer({
    codecFor: (namespace) => new AesGcmCodec(keys, namespace),
    host: '127.0.0.1',
    port: 0,
  });
});

afterAll(async () => {
  await server.close();
});

describe('codec server namespace binding', () => {
  it('decodes a payload in its own namespace and refuses it replayed into another, with a clear error', async () => {
    const sealed = await new AesGcmCodec(keys, 'team-a').encode([converter.toPayload({ token: 'marker-77' })]);
    const body = codecResponse(sealed);
    const own = await post('/decode', body, 'team-a');
    expect(own.status).toBe(200);
    expect(JSON.stringify(await own.json())).not.toContain('error');
    const replayed = await post('/decode', body, 'team-b');
    expect(replayed.status).toBe(400);
    expect(await replayed.json()).toEqual({
      error:
        'cannot decrypt payload (key "k1"): payload belongs to namespace "team-a", not "team-b"; it was copied from another namespace',
    });
  });

  it('refuses a payload altered in its data or stripped of its namespace, naming authentication', async () => {
    const [sealed] = await new AesGcmCodec(keys, 'team-a').encode([converter.toPayload({ token: 'marker-78' })]);
    if (sealed?.data === undefined || sealed.data === null) throw new Error('the codec returned no data');
    const flipped = Buffer.from(sealed.data);
    flipped[flipped.length - 20] = (flipped[flipped.length - 20] ?? 0) ^ 1;
    const altered = await post('/decode', codecResponse([{ ...sealed, data: flipped }]), 'team-a');
    expect(altered.status).toBe(400);
    expect(((await altered.json()) as { error: string }).error).toMatch(/authentication failed in namespace "team-a"/);

    // Without the namespace hint, replayed into team-b, the bound associated data still refuses it.
    const metadata = { ...sealed.metadata };
    Reflect.deleteProperty(metadata, METADATA_ENCRYPTION_NAMESPACE);
    const stripped = await post('/decode', codecResponse([{ ...sealed, metadata }]), 'team-b');
    expect(stripped.status).toBe(400);
    const error = ((await stripped.json()) as { error: string }).error;
    expect(error).toMatch(/authentication failed/);
    expect(error).not.toContain('marker-78');
  });

  it('requires the X-Namespace header and refuses bad base64 naming the field and character', async () => {
    const missing = await post('/decode', '{"payloads":[]}');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: 'the X-Namespace header is required: payloads are bound to their namespace',
    });
    const bad = await post('/decode', '{"payloads":[{"data":"AA$A"}]}', 'team-a');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(
      /payloads\[0\]\.data: is not base64: character 2 \("\$"\) is outside the base64 alphabet/,
    );
  });
});
