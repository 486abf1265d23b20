/** base64 (Go's encoding/base64 StdEncoding), SHA-256 and hex in plain TypeScript. */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixed-size arrays indexed within bounds in the SHA-256 and base64 inner loops */
import { utf8Decode, utf8Encode } from './utf8.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(256).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

export function base64Encode(s: string): string {
  const b = utf8Encode(s);
  let out = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = ((b[i] ?? 0) << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = b.length - i;
  if (rest === 1) {
    const n = (b[i] ?? 0) << 16;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = ((b[i] ?? 0) << 16) | ((b[i + 1] ?? 0) << 8);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return out;
}

/**
 * Go's base64.StdEncoding.DecodeString (padding required, '\r' and '\n' ignored, trailing bits
 * not checked). Returns the decoded text or throws Error("illegal base64 data at input byte N").
 */
export function base64Decode(src: string): string {
  return utf8Decode(base64DecodeBytes(src));
}

/** base64Decode's bytes. */
export function base64DecodeBytes(src: string): Uint8Array {
  const input = utf8Encode(src);
  const out: number[] = [];
  let si = 0;
  const corrupt = (pos: number): never => {
    throw new Error(`illegal base64 data at input byte ${pos}`);
  };
  const skipNewlines = (): void => {
    while (si < input.length && (input[si] === 0x0a || input[si] === 0x0d)) si++;
  };
  for (;;) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailingGarbage = false;
    for (let j = 0; j < 4; j++) {
      if (si === input.length) {
        if (j === 0) return Uint8Array.from(out);
        corrupt(si - j);
      }
      const c = input[si] ?? 0;
      si++;
      const v = B64_INDEX[c] ?? -1;
      if (v !== -1) {
        dbuf[j] = v;
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        j--;
        continue;
      }
      if (c !== 0x3d) corrupt(si - 1);
      if (j === 0 || j === 1) corrupt(si - 1);
      if (j === 2) {
        skipNewlines();
        if (si === input.length) corrupt(input.length);
        if (input[si] !== 0x3d) corrupt(si - 1);
        si++;
      }
      skipNewlines();
      if (si < input.length) trailingGarbage = true;
      dlen = j;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    if (trailingGarbage) corrupt(si);
    out.push((val >> 16) & 0xff);
    if (dlen >= 3) out.push((val >> 8) & 0xff);
    if (dlen === 4) out.push(val & 0xff);
    if (dlen < 4) return Uint8Array.from(out);
  }
}

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const W = new Int32Array(64);
const H = new Int32Array(8);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Reused message buffer (the engine is synchronous, so one buffer serves every call). */
let buf = new Uint8Array(1024);

/** One 64-byte block of SHA-256 compression into H. */
function block(m: Uint8Array, off: number): void {
  const w = W;
  for (let i = 0; i < 16; i++) {
    const j = off + (i << 2);
    w[i] = (m[j]! << 24) | (m[j + 1]! << 16) | (m[j + 2]! << 8) | m[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const w15 = w[i - 15]!;
    const w2 = w[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = H[0]!;
  let b = H[1]!;
  let c = H[2]!;
  let d = H[3]!;
  let e = H[4]!;
  let f = H[5]!;
  let g = H[6]!;
  let h = H[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + S0 + maj) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}

/** SHA-256 of the UTF-8 bytes of s, as lowercase hex. */
export function sha256Hex(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  const bytes = ascii ? null : utf8Encode(s);
  const len = bytes === null ? s.length : bytes.length;
  const m = messageBuffer(len);
  if (bytes !== null) m.set(bytes);
  else for (let i = 0; i < len; i++) m[i] = s.charCodeAt(i);
  digestBuffer(len);
  let out = '';
  for (let i = 0; i < 8; i++) {
    const x = H[i]!;
    out += HEX[(x >>> 24) & 0xff]! + HEX[(x >>> 16) & 0xff]! + HEX[(x >>> 8) & 0xff]! + HEX[x & 0xff]!;
  }
  return out;
}

/** SHA-256 of bytes (HMAC-SHA256 and scrypt's PBKDF2 build on it). */
export function sha256(bytes: Uint8Array): Uint8Array {
  messageBuffer(bytes.length).set(bytes);
  digestBuffer(bytes.length);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const x = H[i]!;
    out[4 * i] = x >>> 24;
    out[4 * i + 1] = (x >>> 16) & 0xff;
    out[4 * i + 2] = (x >>> 8) & 0xff;
    out[4 * i + 3] = x & 0xff;
  }
  return out;
}

/** The shared message buffer, large enough for a `len`-byte message and its padding. */
function messageBuffer(len: number): Uint8Array {
  const n = ((len + 9 + 63) >> 6) << 6;
  if (buf.length < n) buf = new Uint8Array(n * 2);
  return buf;
}

/** Pads the `len`-byte message at the start of the buffer and hashes it into H. */
function digestBuffer(len: number): void {
  const n = ((len + 9 + 63) >> 6) << 6;
  const m = buf;
  m[len] = 0x80;
  m.fill(0, len + 1, n);
  const bitLen = len * 8;
  const hi = Math.floor(bitLen / 0x100000000);
  m[n - 8] = hi >>> 24;
  m[n - 7] = (hi >>> 16) & 0xff;
  m[n - 6] = (hi >>> 8) & 0xff;
  m[n - 5] = hi & 0xff;
  m[n - 4] = bitLen >>> 24;
  m[n - 3] = (bitLen >>> 16) & 0xff;
  m[n - 2] = (bitLen >>> 8) & 0xff;
  m[n - 1] = bitLen & 0xff;
  H.set(H0);
  for (let off = 0; off < n; off += 64) block(m, off);
}

const H0 = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
