import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import type { CodecKeys } from './codecKeys.js';
import { decodePayload, encodePayload } from './payloadProto.js';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_ENCRYPTION_KEY_ID = 'encryption-key-id';
/**
 * The namespace a payload is bound to; its presence is the format marker: such payloads are sealed
 * with the namespace as AES-GCM associated data. Payloads without it (written before the binding)
 * are sealed without associated data and still decode in any namespace.
 */
export const METADATA_ENCRYPTION_NAMESPACE = 'encryption-namespace';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A payload names a key this process does not have: it was written before a key was dropped, or elsewhere. */
export class UnknownCodecKeyError extends Error {
  constructor(
    readonly keyId: string,
    readonly knownKeyIds: readonly string[],
  ) {
    super(
      `payload is encrypted with key "${keyId}", which is not among the configured codec keys (${knownKeyIds.join(', ')}); ` +
        `add key "${keyId}" to the keys file to read it`,
    );
    this.name = 'UnknownCodecKeyError';
  }
}

/** An encrypted payload that does not decrypt: altered in storage or transit, or not ours. */
export class PayloadDecryptionError extends Error {
  constructor(
    readonly keyId: string | undefined,
    reason: string,
  ) {
    super(`cannot decrypt payload${keyId === undefined ? '' : ` (key "${keyId}")`}: ${reason}`);
    this.name = 'PayloadDecryptionError';
  }
}

const text = (bytes: Uint8Array | null | undefined): string | undefined =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

/**
 * AES-256-GCM payload codec for one Temporal namespace. Each payload is serialized as Temporal's
 * Payload message and encrypted with the current key under a fresh 12-byte IV, with the namespace as
 * associated data, so a payload copied into another namespace's history fails to decode; stored data
 * is IV ‖ ciphertext ‖ tag, and the key id rides in the metadata so that payloads written before a
 * rotation still find their key. Payloads that are not `binary/encrypted` decode unchanged
 * (histories from before encryption).
 */
export class AesGcmCodec implements PayloadCodec {
  private readonly associatedData: Buffer;

  constructor(
    private readonly keys: CodecKeys,
    readonly namespace: string,
  ) {
    if (!keys.keys.has(keys.current)) throw new UnknownCodecKeyError(keys.current, [...keys.keys.keys()]);
    if (namespace === '') throw new Error('the payload codec needs a namespace to bind payloads to');
    this.associatedData = Buffer.from(namespace, 'utf8');
  }

  get currentKeyId(): string {
    return this.keys.current;
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    // Errors reject the promise rather than throw synchronously.
    return Promise.resolve().then(() => payloads.map((payload) => this.encrypt(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((payload) => this.decrypt(payload)));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.keys.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(keyId), iv);
    cipher.setAAD(this.associatedData);
    const sealed = Buffer.concat([iv, cipher.update(encodePayload(payload)), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
        [METADATA_ENCRYPTION_KEY_ID]: Buffer.from(keyId),
        [METADATA_ENCRYPTION_NAMESPACE]: Buffer.from(this.namespace),
      },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const keyId = text(payload.metadata?.[METADATA_ENCRYPTION_KEY_ID]);
    if (keyId === undefined)
      throw new PayloadDecryptionError(undefined, `metadata has no ${METADATA_ENCRYPTION_KEY_ID}`);
    const key = this.key(keyId);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(keyId, `data is ${data.length} bytes, shorter than IV and tag`);
    }
    const bound = text(payload.metadata?.[METADATA_ENCRYPTION_NAMESPACE]);
    // The metadata is only a hint for a clear message; the associated data is what binds.
    if (bound !== undefined && bound !== this.namespace) {
      throw new PayloadDecryptionError(
        keyId,
        `payload belongs to namespace "${bound}", not "${this.namespace}"; it was copied from another namespace`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    if (bound !== undefined) decipher.setAAD(this.associatedData);
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(
        keyId,
        bound === undefined
          ? `authentication failed (the payload was altered, the key is wrong, or its ${METADATA_ENCRYPTION_NAMESPACE} metadata was removed)`
          : `authentication failed in namespace "${this.namespace}" (the payload or its metadata was altered, or the key is wrong)`,
      );
    }
    try {
      return decodePayload(plain);
    } catch (error) {
      throw new PayloadDecryptionError(keyId, `decrypted bytes are not a payload: ${(error as Error).message}`);
    }
  }

  private key(id: string): Buffer {
    const key = this.keys.keys.get(id);
    if (!key) throw new UnknownCodecKeyError(id, [...this.keys.keys.keys()]);
    return key;
  }
}
