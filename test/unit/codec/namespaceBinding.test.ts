import { createCipheriv, randomBytes } from 'node:crypto';
import { DefaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  AesGcmCodec,
  ENCRYPTED_ENCODING,
  METADATA_ENCRYPTION_KEY_ID,
  METADATA_ENCRYPTION_NAMESPACE,
  PayloadDecryptionError,
} from '../../../codec/aesGcmCodec.js';
import { base64Problem } from '../../../codec/base64.js';
import { CodecRequestError, parseCodecRequest } from '../../../codec/codecJson.js';
import type { CodecKeys } from '../../../codec/codecKeys.js';
import { encodePayload } from '../../../codec/payloadProto.js';

const converter = new DefaultPayloadConverter();
const keys: CodecKeys = { current: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
const teamA = new AesGcmCodec(keys, 'team-a');
const teamB = new AesGcmCodec(keys, 'team-b');
const secret = { joinToken: 'secret-marker-9001' };

async function sealed(codec: AesGcmCodec): Promise<Payload> {
  const [payload] = await codec.encode([converter.toPayload(secret)]);
  if (!payload) throw new Error('codec returned no payload');
  return payload;
}

/** A payload in the format from before the namespace binding: no associated data, no namespace metadata. */
function unboundPayload(value: unknown): Payload {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.keys.get('k1') as Buffer, iv);
  const plain = encodePayload(converter.toPayload(value));
  return {
    metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [METADATA_ENCRYPTION_KEY_ID]: Buffer.from('k1') },
    data: Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
  };
}

const errorOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined).catch((e: unknown) => e);

describe('payloads bound to their namespace (AES-GCM associated data)', () => {
  it('decodes in the namespace it was written in', async () => {
    const [decoded] = await teamA.decode([await sealed(teamA)]);
    expect(converter.fromPayload(decoded as Payload)).toEqual(secret);
  });

  it('refuses a payload replayed into another namespace, naming both', async () => {
    const error = await errorOf(teamB.decode([await sealed(teamA)]));
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    expect((error as Error).message).toBe(
      'cannot decrypt payload (key "k1"): payload belongs to namespace "team-a", not "team-b"; it was copied from another namespace',
    );
  });

  it('refuses a replayed payload whose namespace metadata was rewritten: the associated data still differs', async () => {
    const payload = await sealed(teamA);
    const forged = {
      ...payload,
      metadata: { ...payload.metadata, [METADATA_ENCRYPTION_NAMESPACE]: Buffer.from('team-b') },
    };
    const error = await errorOf(teamB.decode([forged]));
    expect((error as Error).message).toMatch(/authentication failed in namespace "team-b"/);
  });

  it('refuses a bound payload whose namespace metadata was removed (no downgrade to the unbound format)', async () => {
    const payload = await sealed(teamA);
    const metadata = Object.fromEntries(
      Object.entries(payload.metadata ?? {}).filter(([key]) => key !== METADATA_ENCRYPTION_NAMESPACE),
    );
    const error = await errorOf(teamB.decode([{ ...payload, metadata }]));
    expect((error as Error).message).toMatch(/authentication failed .*encryption-namespace metadata was removed/);
  });

  it('refuses a payload with a flipped ciphertext byte in its own namespace', async () => {
    const payload = await sealed(teamA);
    const data = Buffer.from(payload.data ?? []);
    data[14] = (data[14] ?? 0) ^ 0x80;
    await expect(teamA.decode([{ ...payload, data }])).rejects.toThrow(/authentication failed in namespace "team-a"/);
  });

  it('still decodes payloads written before the binding, in any namespace', async () => {
    const old = unboundPayload({ written: 'before the binding' });
    for (const codec of [teamA, teamB]) {
      const [decoded] = await codec.decode([old]);
      expect(converter.fromPayload(decoded as Payload)).toEqual({ written: 'before the binding' });
    }
  });

  it('refuses to be built without a namespace', () => {
    expect(() => new AesGcmCodec(keys, '')).toThrow('needs a namespace');
  });
});

describe('base64 in codec requests, checked without a regular expression', () => {
  it('names the character at fault and the length', () => {
    expect(base64Problem('QUJD')).toBeUndefined();
    expect(base64Problem('QQ==')).toBeUndefined();
    expect(base64Problem('')).toBeUndefined();
    expect(base64Problem('QUJ')).toBe('length 3 is not a multiple of 4');
    expect(base64Problem('QU%D')).toBe('character 2 ("%") is outside the base64 alphabet');
    expect(base64Problem('Q=JD')).toBe('character 1 ("=") is outside the base64 alphabet');
  });

  it('checks a body of megabytes in one pass and names the field of a bad value', () => {
    const big = Buffer.alloc(6 << 20, 7).toString('base64');
    const started = performance.now();
    expect(parseCodecRequest(JSON.stringify({ payloads: [{ data: big }] }))).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2000);
    const bad = JSON.stringify({ payloads: [{ metadata: { encoding: 'YQ==' }, data: `${'A'.repeat(40)}*AAA` }] });
    const error = (() => {
      try {
        parseCodecRequest(bad);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CodecRequestError);
    expect((error as Error).message).toMatch(
      /: payloads\[0\]\.data: is not base64: character 40 \("\*"\) is outside the base64 alphabet$/,
    );
  });
});
