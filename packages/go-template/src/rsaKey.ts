/**
 * The consistency checks Go's rsa.PrivateKey.Validate makes on a parsed two-prime key (ParsePKCS1PrivateKey
 * runs them), in Go's order and with its messages: the moduli, p·q against n, e against the CRT
 * exponents, the CRT coefficient, d against the CRT exponents, and the distance of p and q and the
 * size of d. Only comparisons of numbers: no prime test, as in Go.
 */

export class RsaKeyError extends Error {}

export interface RsaKeyNumbers {
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  /** dP, dQ and qInv, when the key has them (Go computes them otherwise). */
  crt: [bigint, bigint, bigint] | undefined;
}

const fail = (msg: string): never => {
  throw new RsaKeyError(msg);
};

const bitLen = (x: bigint): number => (x <= 0n ? 0 : x.toString(2).length);

/** a^b mod m by square and multiply. */
function modPow(a: bigint, b: bigint, m: bigint): bigint {
  let result = 1n;
  let base = a % m;
  for (let exp = b; exp > 0n; exp >>= 1n) {
    if (exp & 1n) result = (result * base) % m;
    base = (base * base) % m;
  }
  return result;
}

/** Go's bigmod.NewModulus: greater than one. */
function modulus(x: bigint): bigint {
  return x > 1n ? x : fail('modulus must be > 1');
}

export function checkRsaKey(key: RsaKeyNumbers): void {
  const { e, d } = key;
  const n = modulus(key.n);
  const p = modulus(key.p);
  const q = modulus(key.q);
  if (d >= n) fail('input overflows the modulus');
  let dP: bigint;
  let dQ: bigint;
  let qInv: bigint;
  if (key.crt !== undefined) {
    [dP, dQ, qInv] = key.crt;
    if (qInv >= p) fail('input overflows the modulus');
  } else {
    // Go derives the CRT values (rsa.NewPrivateKey): qInv by Fermat, which needs an odd p.
    if (p - 1n <= 1n || q - 1n <= 1n) fail('modulus must be > 1');
    if (p % 2n === 0n) fail('crypto/rsa: p is even');
    dP = d % (p - 1n);
    dQ = d % (q - 1n);
    qInv = modPow(q % p, p - 2n, p);
  }
  // checkPublicKey
  if (n % 2n === 0n) fail('crypto/rsa: public modulus is even');
  if (e < 2n) fail('crypto/rsa: public exponent too small or negative');
  if (e % 2n === 0n) fail('crypto/rsa: public exponent is even');
  if (e > 2147483647n) fail('crypto/rsa: public exponent too large');
  // checkPrivateKey
  if (p >= n || q >= n) fail('crypto/rsa: invalid prime');
  if ((p * q) % n !== 0n) fail('crypto/rsa: p * q != n');
  const checkExponent = (prime: bigint, exponent: bigint): void => {
    const m = prime - 1n;
    if (m <= 1n) fail('crypto/rsa: invalid prime');
    if (exponent >= m || (e * exponent) % m !== 1n) fail('crypto/rsa: invalid CRT exponent');
  };
  checkExponent(p, dP);
  checkExponent(q, dQ);
  if (((q % p) * qInv) % p !== 1n) fail('crypto/rsa: invalid CRT coefficient');
  if (d % (p - 1n) !== dP) fail('crypto/rsa: d does not match dP');
  if (d % (q - 1n) !== dQ) fail('crypto/rsa: d does not match dQ');
  if (p === q) fail('crypto/rsa: p == q');
  const diff = p > q ? p - q : q - p;
  if (bitLen(diff) <= Math.floor(bitLen(n) / 2) - 100) fail('crypto/rsa: |p - q| too small');
  if (bitLen(d) <= Math.floor(bitLen(n) / 2)) fail('crypto/rsa: d too small');
}
