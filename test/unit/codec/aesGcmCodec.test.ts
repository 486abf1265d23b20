import { randomBytes } from 'node:crypto';
import { DefaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  AesGcmCodec,
  ENCRYPTED_ENCODING,
  METADATA_ENCRYPTION_KEY_ID,
  METADATA_ENCRYPTION_NAMESPACE,
  PayloadDecryptionError,
  UnknownCodecKeyError,
} from '../../../codec/aesGcmCodec.js';
import type { CodecKeys } from '../../../codec/codecKeys.js';

const converter = new DefaultPayloadConverter();
const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ring = (current: string, keys: Record<string, Buffer>): CodecKeys => ({
  current,
  keys: new Map(Object.entries(keys)),
});
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const input = { machine: { namespace: 'team-a', name: 'secret-marker-4711' }, provider: 'metal3' };

async function encodeOne(codec: AesGcmCodec, value: unknown): Promise<Payload> {
  const [encoded] = await codec.encode([converter.toPayload(value)]);
  if (!encoded) throw new Error('codec returned no payload');
  return encoded;
}

async function decodeOne(codec: AesGcmCodec, payload: Payload): Promise<unknown> {
  const [decoded] = await codec.decode([payload]);
  if (!decoded) throw new Error('codec returned no payload');
  return converter.fromPayload(decoded);
}

function flipByte(payload: Payload, index: number): Payload {
  const data = Buffer.from(payload.data ?? []);
  data[index] = (data[index] ?? 0) ^ 0x01;
  return { ...payload, data };
}

describe('AesGcmCodec', () => {
  it('round-trips a payload; what it stores is encrypted, names its key and hides the input', async () => {
    const codec = new AesGcmCodec(ring('k1', { k1 }), 'team-a');
    const encoded = await encodeOne(codec, input);
    expect(text(encoded.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded.metadata?.[METADATA_ENCRYPTION_KEY_ID])).toBe('k1');
    expect(Object.keys(encoded.metadata ?? {}).sort()).toEqual([
      'encoding',
      METADATA_ENCRYPTION_KEY_ID,
      METADATA_ENCRYPTION_NAMESPACE,
    ]);
    expect(text(encoded.metadata?.[METADATA_ENCRYPTION_NAMESPACE])).toBe('team-a');
    expect(text(encoded.data)).not.toContain('secret-marker-4711');
    expect(await decodeOne(codec, encoded)).toEqual(input);
  });

  it('uses a fresh IV per payload: the same value encrypts differently each time', async () => {
    const codec = new AesGcmCodec(ring('k1', { k1 }), 'team-a');
    const [a, b] = await codec.encode([converter.toPayload('same'), converter.toPayload('same')]);
    expect(Buffer.from(a?.data ?? []).equals(Buffer.from(b?.data ?? []))).toBe(false);
  });

  it('keeps every metadata field of the original payload, and empty data', async () => {
    const codec = new AesGcmCodec(ring('k1', { k1 }), 'team-a');
    const original: Payload = {
      metadata: { encoding: Buffer.from('binary/null'), custom: Buffer.from([0, 255, 7]) },
      data: new Uint8Array(),
    };
    const [decoded] = await codec.decode(await codec.encode([original]));
    expect(text(decoded?.metadata?.encoding)).toBe('binary/null');
    expect([...(decoded?.metadata?.custom ?? [])]).toEqual([0, 255, 7]);
    expect(decoded?.data?.length ?? 0).toBe(0);
  });

  it.each([
    ['the ciphertext', 20],
    ['the IV', 3],
    ['the auth tag', -1],
  ])('rejects a payload with a flipped byte in %s with PayloadDecryptionError', async (_part, index) => {
    const codec = new AesGcmCodec(ring('k1', { k1 }), 'team-a');
    const encoded = await encodeOne(codec, input);
    const at = index < 0 ? (encoded.data?.length ?? 0) + index : index;
    const error = await codec.decode([flipByte(encoded, at)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    expect((error as PayloadDecryptionError).keyId).toBe('k1');
    expect((error as Error).message).toMatch(/authentication failed/);
  });

  it('rejects truncated data and a missing key id with PayloadDecryptionError', async () => {
    const codec = new AesGcmCodec(ring('k1', { k1 }), 'team-a');
    const encoded = await encodeOne(codec, input);
    await expect(codec.decode([{ ...encoded, data: encoded.data?.subarray(0, 20) }])).rejects.toThrow(
      PayloadDecryptionError,
    );
    await expect(
      codec.decode([{ metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) }, data: encoded.data }]),
    ).rejects.toThrow(/has no encryption-key-id/);
  });

  it('decodes payloads of the old key after rotation and encrypts new ones with the new key', async () => {
    const before = new AesGcmCodec(ring('k1', { k1 }), 'team-a');
    const old = await encodeOne(before, input);
    const after = new AesGcmCodec(ring('k2', { k1, k2 }), 'team-a');
    expect(await decodeOne(after, old)).toEqual(input);
    const fresh = await encodeOne(after, 'new');
    expect(text(fresh.metadata?.[METADATA_ENCRYPTION_KEY_ID])).toBe('k2');
    expect(await decodeOne(after, fresh)).toBe('new');
    // The old key alone cannot read the new payload: it names the key it lacks.
    const error = await before.decode([fresh]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownCodecKeyError);
    expect((error as UnknownCodecKeyError).keyId).toBe('k2');
    expect((error as Error).message).toContain('"k2"');
  });

  it('does not decrypt with a different key of the same id', async () => {
    const encoded = await encodeOne(new AesGcmCodec(ring('k1', { k1 }), 'team-a'), input);
    await expect(new AesGcmCodec(ring('k1', { k1: k2 }), 'team-a').decode([encoded])).rejects.toThrow(
      PayloadDecryptionError,
    );
  });

  it('passes payloads that are not encrypted through decode unchanged', async () => {
    const codec = new AesGcmCodec(ring('k1', { k1 }), 'team-a');
    const plain = converter.toPayload({ written: 'before encryption' });
    const [decoded] = await codec.decode([plain]);
    expect(decoded).toBe(plain);
    expect(converter.fromPayload(decoded ?? plain)).toEqual({ written: 'before encryption' });
  });

  it('refuses a key ring whose current key is missing', () => {
    expect(() => new AesGcmCodec(ring('k9', { k1 }), 'team-a')).toThrow(UnknownCodecKeyError);
  });
});
