/**
 * scrypt (RFC 7914) in plain TypeScript, for Sprig's `derivePassword`: workflow code may not use
 * Node's crypto. PBKDF2-HMAC-SHA256 spreads the password over p blocks of 128·r bytes, ROMix
 * (salsa20/8 block mixes over a table of N blocks) makes each one costly in memory and time, and a
 * last PBKDF2 draws the key from them. Words are held in Int32Arrays: signed values stay small
 * integers for the JIT (unsigned ones above 2^31 would not), which makes a call about twice as fast.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixed-size word arrays indexed within bounds in the inner loops */
import { pbkdf2Sha256 } from './hashes.js';

/** Block mixes between two calls of the progress callback (a 32768-cost call makes 65,536 per block). */
const SCRYPT_PROGRESS_MIXES = 4096;

export interface ScryptParams {
  /** CPU/memory cost: a power of two above 1. */
  n: number;
  r: number;
  p: number;
  keyLen: number;
  /** Called every SCRYPT_PROGRESS_MIXES block mixes; it may throw to stop the computation. */
  onProgress?: () => void;
}

/** The salsa20/8 core on the 16 words `b`, in place. */
function salsa8(b: Int32Array): void {
  let x0 = b[0]!,
    x1 = b[1]!,
    x2 = b[2]!,
    x3 = b[3]!,
    x4 = b[4]!,
    x5 = b[5]!,
    x6 = b[6]!,
    x7 = b[7]!,
    x8 = b[8]!,
    x9 = b[9]!,
    x10 = b[10]!,
    x11 = b[11]!,
    x12 = b[12]!,
    x13 = b[13]!,
    x14 = b[14]!,
    x15 = b[15]!;
  let t: number;
  for (let round = 0; round < 8; round += 2) {
    // Column round.
    t = (x0 + x12) | 0;
    x4 ^= (t << 7) | (t >>> 25);
    t = (x4 + x0) | 0;
    x8 ^= (t << 9) | (t >>> 23);
    t = (x8 + x4) | 0;
    x12 ^= (t << 13) | (t >>> 19);
    t = (x12 + x8) | 0;
    x0 ^= (t << 18) | (t >>> 14);
    t = (x5 + x1) | 0;
    x9 ^= (t << 7) | (t >>> 25);
    t = (x9 + x5) | 0;
    x13 ^= (t << 9) | (t >>> 23);
    t = (x13 + x9) | 0;
    x1 ^= (t << 13) | (t >>> 19);
    t = (x1 + x13) | 0;
    x5 ^= (t << 18) | (t >>> 14);
    t = (x10 + x6) | 0;
    x14 ^= (t << 7) | (t >>> 25);
    t = (x14 + x10) | 0;
    x2 ^= (t << 9) | (t >>> 23);
    t = (x2 + x14) | 0;
    x6 ^= (t << 13) | (t >>> 19);
    t = (x6 + x2) | 0;
    x10 ^= (t << 18) | (t >>> 14);
    t = (x15 + x11) | 0;
    x3 ^= (t << 7) | (t >>> 25);
    t = (x3 + x15) | 0;
    x7 ^= (t << 9) | (t >>> 23);
    t = (x7 + x3) | 0;
    x11 ^= (t << 13) | (t >>> 19);
    t = (x11 + x7) | 0;
    x15 ^= (t << 18) | (t >>> 14);
    // Row round.
    t = (x0 + x3) | 0;
    x1 ^= (t << 7) | (t >>> 25);
    t = (x1 + x0) | 0;
    x2 ^= (t << 9) | (t >>> 23);
    t = (x2 + x1) | 0;
    x3 ^= (t << 13) | (t >>> 19);
    t = (x3 + x2) | 0;
    x0 ^= (t << 18) | (t >>> 14);
    t = (x5 + x4) | 0;
    x6 ^= (t << 7) | (t >>> 25);
    t = (x6 + x5) | 0;
    x7 ^= (t << 9) | (t >>> 23);
    t = (x7 + x6) | 0;
    x4 ^= (t << 13) | (t >>> 19);
    t = (x4 + x7) | 0;
    x5 ^= (t << 18) | (t >>> 14);
    t = (x10 + x9) | 0;
    x11 ^= (t << 7) | (t >>> 25);
    t = (x11 + x10) | 0;
    x8 ^= (t << 9) | (t >>> 23);
    t = (x8 + x11) | 0;
    x9 ^= (t << 13) | (t >>> 19);
    t = (x9 + x8) | 0;
    x10 ^= (t << 18) | (t >>> 14);
    t = (x15 + x14) | 0;
    x12 ^= (t << 7) | (t >>> 25);
    t = (x12 + x15) | 0;
    x13 ^= (t << 9) | (t >>> 23);
    t = (x13 + x12) | 0;
    x14 ^= (t << 13) | (t >>> 19);
    t = (x14 + x13) | 0;
    x15 ^= (t << 18) | (t >>> 14);
  }
  b[0] = (b[0]! + x0) | 0;
  b[1] = (b[1]! + x1) | 0;
  b[2] = (b[2]! + x2) | 0;
  b[3] = (b[3]! + x3) | 0;
  b[4] = (b[4]! + x4) | 0;
  b[5] = (b[5]! + x5) | 0;
  b[6] = (b[6]! + x6) | 0;
  b[7] = (b[7]! + x7) | 0;
  b[8] = (b[8]! + x8) | 0;
  b[9] = (b[9]! + x9) | 0;
  b[10] = (b[10]! + x10) | 0;
  b[11] = (b[11]! + x11) | 0;
  b[12] = (b[12]! + x12) | 0;
  b[13] = (b[13]! + x13) | 0;
  b[14] = (b[14]! + x14) | 0;
  b[15] = (b[15]! + x15) | 0;
}

/**
 * BlockMix with salsa20/8 of the 2r 16-word blocks `b` into `y`: each block XORed into the running
 * 16 words `x` and mixed; the even results go to y's first half, the odd ones to its second.
 */
function blockMix(b: Int32Array, y: Int32Array, r: number, x: Int32Array): void {
  const last = 32 * r - 16;
  for (let j = 0; j < 16; j++) x[j] = b[last + j]!;
  for (let i = 0; i < 2 * r; i++) {
    const off = 16 * i;
    for (let j = 0; j < 16; j++) x[j] = x[j]! ^ b[off + j]!;
    salsa8(x);
    const to = 16 * ((i >> 1) + (i & 1) * r);
    for (let j = 0; j < 16; j++) y[to + j] = x[j]!;
  }
}

/** ROMix of one 128·r-byte block in place: N mixes filling the table `v`, N mixes reading it. */
function roMix(block: Uint8Array, n: number, r: number, v: Int32Array, tick: () => void): void {
  const words = 32 * r;
  let b = new Int32Array(words);
  let y = new Int32Array(words);
  const x = new Int32Array(16);
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  for (let i = 0; i < words; i++) b[i] = view.getInt32(4 * i, true);
  const swap = (): void => {
    [b, y] = [y, b];
  };
  for (let i = 0; i < n; i++) {
    const base = i * words;
    for (let k = 0; k < words; k++) v[base + k] = b[k]!;
    blockMix(b, y, r, x);
    swap();
    tick();
  }
  for (let i = 0; i < n; i++) {
    // Integerify: the first word of the last 64-byte block, modulo N (a power of two).
    const j = b[words - 16]! & (n - 1);
    const base = j * words;
    for (let k = 0; k < words; k++) b[k] = b[k]! ^ v[base + k]!;
    blockMix(b, y, r, x);
    swap();
    tick();
  }
  for (let i = 0; i < words; i++) view.setInt32(4 * i, b[i]!, true);
}

/** scrypt(password, salt, N, r, p, keyLen). */
export function scrypt(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Uint8Array {
  const { n, r, p, keyLen, onProgress } = params;
  if (n <= 1 || (n & (n - 1)) !== 0) throw new Error('scrypt: N must be > 1 and a power of 2');
  const blockBytes = 128 * r;
  const b = pbkdf2Sha256(password, salt, 1, p * blockBytes);
  const v = new Int32Array(32 * r * n);
  let mixes = 0;
  const tick = (): void => {
    if (++mixes % SCRYPT_PROGRESS_MIXES === 0) onProgress?.();
  };
  for (let i = 0; i < p; i++) roMix(b.subarray(i * blockBytes, (i + 1) * blockBytes), n, r, v, tick);
  return pbkdf2Sha256(password, b, 1, keyLen);
}
