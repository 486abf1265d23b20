/** Sprig's deterministic cryptographic functions: `decryptAES`. */
import { AES_BLOCK_SIZE, aes256CbcDecrypt } from './aes.js';
import { base64DecodeBytes } from './encoding.js';
import { FuncError } from './errors.js';
import { type FuncMap, goFunc } from './functions.js';
import { utf8Decode, utf8Encode } from './utf8.js';

/**
 * Sprig's decryptAES: base64 of an IV and AES-256-CBC ciphertext, keyed by the password's bytes
 * zero-padded (or cut) to 32, the last byte giving the padding to drop. Sprig checks nothing, so a
 * malformed input fails as Go's runtime panics do, with Go's messages.
 */
function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const key = new Uint8Array(32);
  key.set(utf8Encode(password).subarray(0, 32));
  const crypt = base64DecodeBytes(crypt64);
  if (crypt.length < AES_BLOCK_SIZE) {
    // Go slices the decoded buffer, whose capacity is what the input's length could hold.
    const capacity = Math.floor(utf8Encode(crypt64).length / 4) * 3;
    throw new FuncError(
      capacity < AES_BLOCK_SIZE
        ? `runtime error: slice bounds out of range [:${AES_BLOCK_SIZE}] with capacity ${capacity}`
        : `runtime error: slice bounds out of range [${AES_BLOCK_SIZE}:${crypt.length}]`,
    );
  }
  const data = crypt.subarray(AES_BLOCK_SIZE);
  if (data.length % AES_BLOCK_SIZE !== 0) throw new FuncError('crypto/cipher: input not full blocks');
  if (data.length === 0) throw new FuncError('runtime error: index out of range [-1]');
  const plain = aes256CbcDecrypt(key, crypt.subarray(0, AES_BLOCK_SIZE), data);
  const end = plain.length - (plain[plain.length - 1] ?? 0);
  if (end < 0) throw new FuncError(`runtime error: slice bounds out of range [:${end}]`);
  return utf8Decode(plain.subarray(0, end));
}

export const sprigCryptoFuncs: FuncMap = {
  decryptAES: goFunc(['string', 'string'], decryptAES),
};
