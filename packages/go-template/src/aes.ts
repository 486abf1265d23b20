/**
 * AES-256 decryption in CBC mode, in plain TypeScript: Sprig's `decryptAES` runs in workflow
 * code, which may not use Node's crypto. Byte-oriented and unoptimised: template inputs are small.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixed-size tables indexed by bytes */

/** Multiplication in GF(2^8) modulo the AES polynomial x^8 + x^4 + x^3 + x + 1. */
function gmul(a: number, b: number): number {
  let r = 0;
  for (; b > 0; b >>= 1) {
    if (b & 1) r ^= a;
    a = ((a << 1) ^ (a & 0x80 ? 0x1b : 0)) & 0xff;
  }
  return r;
}

// The S-box: the multiplicative inverse in GF(2^8) followed by the affine transform. Built on first
// use, so that loading the engine (in every workflow) does not pay for it.
const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
let tablesBuilt = false;

function buildTables(): void {
  if (tablesBuilt) return;
  for (let x = 0; x < 256; x++) {
    let inv = 0;
    for (let y = 1; y < 256 && x !== 0; y++) {
      if (gmul(x, y) === 1) {
        inv = y;
        break;
      }
    }
    let s = inv;
    for (let i = 1; i <= 4; i++) s ^= ((inv << i) | (inv >> (8 - i))) & 0xff;
    SBOX[x] = s ^ 0x63;
    INV_SBOX[s ^ 0x63] = x;
  }
  tablesBuilt = true;
}

export const AES_BLOCK_SIZE = 16;
const ROUNDS = 14;

/** The AES-256 key schedule: 15 round keys of 16 bytes. */
function expandKey(key: Uint8Array): Uint8Array {
  const w = new Uint8Array(AES_BLOCK_SIZE * (ROUNDS + 1));
  w.set(key);
  let rcon = 1;
  for (let i = 8; i < 4 * (ROUNDS + 1); i++) {
    let t = [w[4 * i - 4]!, w[4 * i - 3]!, w[4 * i - 2]!, w[4 * i - 1]!];
    if (i % 8 === 0) {
      t = [SBOX[t[1]!]! ^ rcon, SBOX[t[2]!]!, SBOX[t[3]!]!, SBOX[t[0]!]!];
      rcon = gmul(rcon, 2);
    } else if (i % 8 === 4) {
      t = t.map((b) => SBOX[b]!);
    }
    for (let j = 0; j < 4; j++) w[4 * i + j] = w[4 * (i - 8) + j]! ^ t[j]!;
  }
  return w;
}

function decryptBlock(w: Uint8Array, s: Uint8Array): void {
  const addRoundKey = (round: number): void => {
    for (let i = 0; i < AES_BLOCK_SIZE; i++) s[i]! ^= w[round * AES_BLOCK_SIZE + i]!;
  };
  const invShiftSub = (): void => {
    const t = Uint8Array.from(s);
    // Row r (bytes r, r+4, r+8, r+12) rotates right by r.
    for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) s[r + 4 * ((c + r) % 4)] = INV_SBOX[t[r + 4 * c]!]!;
  };
  addRoundKey(ROUNDS);
  for (let round = ROUNDS - 1; round >= 0; round--) {
    invShiftSub();
    addRoundKey(round);
    if (round === 0) break;
    for (let c = 0; c < 16; c += 4) {
      const [a0, a1, a2, a3] = [s[c]!, s[c + 1]!, s[c + 2]!, s[c + 3]!];
      s[c] = gmul(a0, 14) ^ gmul(a1, 11) ^ gmul(a2, 13) ^ gmul(a3, 9);
      s[c + 1] = gmul(a0, 9) ^ gmul(a1, 14) ^ gmul(a2, 11) ^ gmul(a3, 13);
      s[c + 2] = gmul(a0, 13) ^ gmul(a1, 9) ^ gmul(a2, 14) ^ gmul(a3, 11);
      s[c + 3] = gmul(a0, 11) ^ gmul(a1, 13) ^ gmul(a2, 9) ^ gmul(a3, 14);
    }
  }
}

/** CBC decryption with a 32-byte key; `data` must be whole blocks. No padding is removed. */
export function aes256CbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  buildTables();
  const w = expandKey(key);
  const out = new Uint8Array(data.length);
  let prev = iv;
  for (let off = 0; off < data.length; off += AES_BLOCK_SIZE) {
    const block = data.slice(off, off + AES_BLOCK_SIZE);
    const s = Uint8Array.from(block);
    decryptBlock(w, s);
    for (let i = 0; i < AES_BLOCK_SIZE; i++) out[off + i] = s[i]! ^ prev[i]!;
    prev = block;
  }
  return out;
}
