/**
 * SHA-1, SHA-512, Adler-32 and base32 over UTF-8 bytes (Sprig's sha1sum, sha512sum, adler32sum, b32enc,
 * b32dec), and HMAC-SHA256 and PBKDF2-HMAC-SHA256 over bytes (derivePassword's scrypt).
 */
import { sha256 } from './encoding.js';
import { utf8Decode, utf8Encode } from './utf8.js';

/** The message padded to whole blocks with its bit length at the end (`lenBytes` wide, big-endian). */
function pad(msg: Uint8Array, block: number, lenBytes: number): Uint8Array {
  const n = Math.ceil((msg.length + 1 + lenBytes) / block) * block;
  const m = new Uint8Array(n);
  m.set(msg);
  m[msg.length] = 0x80;
  let bits = BigInt(msg.length) * 8n;
  for (let i = n - 1; bits > 0n; i--, bits >>= 8n) m[i] = Number(bits & 0xffn);
  return m;
}

export function sha1Hex(s: string): string {
  const m = pad(utf8Encode(s), 64, 8);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Int32Array(80);
  const view = new DataView(m.buffer);
  for (let off = 0; off < m.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = (w[i - 3] ?? 0) ^ (w[i - 8] ?? 0) ^ (w[i - 14] ?? 0) ^ (w[i - 16] ?? 0);
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a = 0, b = 0, c = 0, d = 0, e = 0] = h;
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) [f, k] = [(b & c) | (~b & d), 0x5a827999];
      else if (i < 40) [f, k] = [b ^ c ^ d, 0x6ed9eba1];
      else if (i < 60) [f, k] = [(b & c) | (b & d) | (c & d), 0x8f1bbcdc];
      else [f, k] = [b ^ c ^ d, 0xca62c1d6];
      const t = (((a << 5) | (a >>> 27)) + f + e + k + (w[i] ?? 0)) | 0;
      [e, d, c, b, a] = [d, c, (b << 30) | (b >>> 2), a, t];
    }
    [a, b, c, d, e].forEach((x, i) => (h[i] = ((h[i] ?? 0) + x) | 0));
  }
  return h.map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
}

const K512 = [
  '428a2f98d728ae22',
  '7137449123ef65cd',
  'b5c0fbcfec4d3b2f',
  'e9b5dba58189dbbc',
  '3956c25bf348b538',
  '59f111f1b605d019',
  '923f82a4af194f9b',
  'ab1c5ed5da6d8118',
  'd807aa98a3030242',
  '12835b0145706fbe',
  '243185be4ee4b28c',
  '550c7dc3d5ffb4e2',
  '72be5d74f27b896f',
  '80deb1fe3b1696b1',
  '9bdc06a725c71235',
  'c19bf174cf692694',
  'e49b69c19ef14ad2',
  'efbe4786384f25e3',
  '0fc19dc68b8cd5b5',
  '240ca1cc77ac9c65',
  '2de92c6f592b0275',
  '4a7484aa6ea6e483',
  '5cb0a9dcbd41fbd4',
  '76f988da831153b5',
  '983e5152ee66dfab',
  'a831c66d2db43210',
  'b00327c898fb213f',
  'bf597fc7beef0ee4',
  'c6e00bf33da88fc2',
  'd5a79147930aa725',
  '06ca6351e003826f',
  '142929670a0e6e70',
  '27b70a8546d22ffc',
  '2e1b21385c26c926',
  '4d2c6dfc5ac42aed',
  '53380d139d95b3df',
  '650a73548baf63de',
  '766a0abb3c77b2a8',
  '81c2c92e47edaee6',
  '92722c851482353b',
  'a2bfe8a14cf10364',
  'a81a664bbc423001',
  'c24b8b70d0f89791',
  'c76c51a30654be30',
  'd192e819d6ef5218',
  'd69906245565a910',
  'f40e35855771202a',
  '106aa07032bbd1b8',
  '19a4c116b8d2d0c8',
  '1e376c085141ab53',
  '2748774cdf8eeb99',
  '34b0bcb5e19b48a8',
  '391c0cb3c5c95a63',
  '4ed8aa4ae3418acb',
  '5b9cca4f7763e373',
  '682e6ff3d6b2b8a3',
  '748f82ee5defb2fc',
  '78a5636f43172f60',
  '84c87814a1f0ab72',
  '8cc702081a6439ec',
  '90befffa23631e28',
  'a4506cebde82bde9',
  'bef9a3f7b2c67915',
  'c67178f2e372532b',
  'ca273eceea26619c',
  'd186b8c721c0c207',
  'eada7dd6cde0eb1e',
  'f57d4f7fee6ed178',
  '06f067aa72176fba',
  '0a637dc5a2c898a6',
  '113f9804bef90dae',
  '1b710b35131c471b',
  '28db77f523047d84',
  '32caab7b40c72493',
  '3c9ebe0a15c9bebc',
  '431d67c49c100d4c',
  '4cc5d4becb3e42b6',
  '597f299cfc657e2a',
  '5fcb6fab3ad6faec',
  '6c44198c4a475817',
].map((x) => BigInt('0x' + x));
const H512 = [
  '6a09e667f3bcc908',
  'bb67ae8584caa73b',
  '3c6ef372fe94f82b',
  'a54ff53a5f1d36f1',
  '510e527fade682d1',
  '9b05688c2b3e6c1f',
  '1f83d9abfb41bd6b',
  '5be0cd19137e2179',
].map((x) => BigInt('0x' + x));

const MASK = (1n << 64n) - 1n;
const rotr = (x: bigint, n: bigint): bigint => ((x >> n) | (x << (64n - n))) & MASK;

export function sha512Hex(s: string): string {
  const m = pad(utf8Encode(s), 128, 16);
  const view = new DataView(m.buffer);
  const h = [...H512];
  const w: bigint[] = new Array<bigint>(80).fill(0n);
  for (let off = 0; off < m.length; off += 128) {
    for (let i = 0; i < 16; i++) w[i] = view.getBigUint64(off + i * 8);
    for (let i = 16; i < 80; i++) {
      const w15 = w[i - 15] ?? 0n;
      const w2 = w[i - 2] ?? 0n;
      const s0 = rotr(w15, 1n) ^ rotr(w15, 8n) ^ (w15 >> 7n);
      const s1 = rotr(w2, 19n) ^ rotr(w2, 61n) ^ (w2 >> 6n);
      w[i] = ((w[i - 16] ?? 0n) + s0 + (w[i - 7] ?? 0n) + s1) & MASK;
    }
    let [a = 0n, b = 0n, c = 0n, d = 0n, e = 0n, f = 0n, g = 0n, hh = 0n] = h;
    for (let i = 0; i < 80; i++) {
      const S1 = rotr(e, 14n) ^ rotr(e, 18n) ^ rotr(e, 41n);
      const ch = (e & f) ^ (~e & MASK & g);
      const t1 = (hh + S1 + ch + (K512[i] ?? 0n) + (w[i] ?? 0n)) & MASK;
      const S0 = rotr(a, 28n) ^ rotr(a, 34n) ^ rotr(a, 39n);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) & MASK;
      [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) & MASK, c, b, a, (t1 + t2) & MASK];
    }
    [a, b, c, d, e, f, g, hh].forEach((x, i) => (h[i] = ((h[i] ?? 0n) + x) & MASK));
  }
  return h.map((x) => x.toString(16).padStart(16, '0')).join('');
}

/** hash/adler32's checksum, printed as a decimal number as Sprig does. */
export function adler32(s: string): string {
  let a = 1;
  let b = 0;
  for (const byte of utf8Encode(s)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** base32.StdEncoding.EncodeToString */
export function base32Encode(s: string): string {
  const b = utf8Encode(s);
  let out = '';
  for (let i = 0; i < b.length; i += 5) {
    const chunk = b.subarray(i, i + 5);
    let bits = 0n;
    for (let j = 0; j < 5; j++) bits = (bits << 8n) | BigInt(chunk[j] ?? 0);
    const chars = [1, 2, 4, 5, 7, 8][chunk.length] ?? 8;
    for (let j = 0; j < 8; j++) out += j < chars ? (B32[Number((bits >> BigInt(35 - 5 * j)) & 31n)] ?? '') : '=';
  }
  return out;
}

/** base32.StdEncoding.DecodeString (newlines ignored); throws Go's "illegal base32 data at input byte N". */
export function base32Decode(text: string): string {
  const src = [...utf8Encode(text)].filter((c) => c !== 0x0a && c !== 0x0d);
  const olen = src.length;
  const corrupt = (at: number): never => {
    throw new Error(`illegal base32 data at input byte ${at}`);
  };
  const out: number[] = [];
  let p = 0;
  let end = false;
  while (p < olen && !end) {
    const dbuf = [0, 0, 0, 0, 0, 0, 0, 0];
    let dlen = 8;
    for (let j = 0; j < 8;) {
      if (p === olen) corrupt(p - j);
      const c = src[p++] ?? 0;
      const left = olen - p;
      if (c === 0x3d && j >= 2 && left < 8) {
        if (left + j < 7) corrupt(olen);
        for (let k = 0; k < 7 - j; k++) if (left > k && src[p + k] !== 0x3d) corrupt(p + k - 1);
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) corrupt(p - 1);
        break;
      }
      const v = B32.indexOf(String.fromCharCode(c));
      if (v < 0 || c === 0x3d) corrupt(p - 1);
      dbuf[j++] = v;
    }
    let bits = 0n;
    for (const v of dbuf) bits = (bits << 5n) | BigInt(v);
    const n = { 8: 5, 7: 4, 5: 3, 4: 2, 2: 1 }[dlen] ?? 0;
    for (let j = 0; j < n; j++) out.push(Number((bits >> BigInt(32 - 8 * j)) & 0xffn));
  }
  return utf8Decode(Uint8Array.from(out));
}

const SHA256_BLOCK = 64;

/** HMAC-SHA256 (RFC 2104). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k = new Uint8Array(SHA256_BLOCK);
  k.set(key.length > SHA256_BLOCK ? sha256(key) : key);
  const inner = new Uint8Array(SHA256_BLOCK + message.length);
  const outer = new Uint8Array(SHA256_BLOCK + 32);
  for (let i = 0; i < SHA256_BLOCK; i++) {
    inner[i] = (k[i] ?? 0) ^ 0x36;
    outer[i] = (k[i] ?? 0) ^ 0x5c;
  }
  inner.set(message, SHA256_BLOCK);
  outer.set(sha256(inner), SHA256_BLOCK);
  return sha256(outer);
}

/** PBKDF2 with HMAC-SHA256 (RFC 8018): `keyLen` bytes from `iterations` rounds. */
export function pbkdf2Sha256(password: Uint8Array, salt: Uint8Array, iterations: number, keyLen: number): Uint8Array {
  const out = new Uint8Array(keyLen);
  const msg = new Uint8Array(salt.length + 4);
  msg.set(salt);
  for (let block = 1, off = 0; off < keyLen; block++, off += 32) {
    new DataView(msg.buffer).setUint32(salt.length, block);
    let u = hmacSha256(password, msg);
    const t = Uint8Array.from(u);
    for (let i = 1; i < iterations; i++) {
      u = hmacSha256(password, u);
      for (let j = 0; j < t.length; j++) t[j] = (t[j] ?? 0) ^ (u[j] ?? 0);
    }
    out.set(t.subarray(0, Math.min(32, keyLen - off)), off);
  }
  return out;
}
