/** The engine's own AES-256-CBC (workflow code cannot use Node's crypto) agrees with OpenSSL's. */
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aes256CbcDecrypt } from '../src/aes.js';

/** Deterministic bytes, so a failure reproduces. */
function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (seed * 131 + i * 197 + ((i * i) >> 3)) & 0xff);
}

describe('aes256CbcDecrypt', () => {
  it('inverts OpenSSL AES-256-CBC for many keys, IVs and lengths', () => {
    for (let n = 0; n < 40; n++) {
      const key = bytes(32, n);
      const iv = bytes(16, n + 1000);
      const plain = bytes(16 * (1 + (n % 6)), n + 2000);
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
      expect(Buffer.from(aes256CbcDecrypt(key, iv, encrypted)).toString('hex')).toBe(
        Buffer.from(plain).toString('hex'),
      );
    }
  });
});
