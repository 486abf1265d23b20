/**
 * Go's x509 parsePublicKey for buildCustomCert: a certificate's RSA, ECDSA, Ed25519, X25519 or DSA
 * public key, with Go's messages. Keys of other algorithms are not read, as in Go.
 */
import { Der, TAG, bytesEqual, oidString } from './der.js';
import { nistCurve } from './ecKey.js';

export class X509PublicKeyError extends Error {}

const fail = (msg: string): never => {
  throw new X509PublicKeyError(msg);
};

const NULL_PARAMS = Uint8Array.of(TAG.NULL, 0x00);
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

function rsa(params: Uint8Array | undefined, key: Uint8Array): void {
  if (params === undefined || !bytesEqual(params, NULL_PARAMS)) fail('x509: RSA key missing NULL parameters');
  const der = new Der(key).read(TAG.SEQUENCE) ?? fail('x509: invalid RSA public key');
  const n = der.readInteger() ?? fail('x509: invalid RSA modulus');
  const e = der.readInteger();
  // Go reads the exponent into an int.
  if (e === undefined || e > INT64_MAX || e < INT64_MIN) return fail('x509: invalid RSA public exponent');
  if (n <= 0n) fail('x509: RSA modulus is not a positive number');
  if (e <= 0n) fail('x509: RSA public exponent is not a positive number');
}

/** The big-endian number in `b`. */
function bigEndian(b: Uint8Array): bigint {
  let n = 0n;
  for (const byte of b) n = (n << 8n) | BigInt(byte);
  return n;
}

/** ecdsa.ParseUncompressedPublicKey: 04 ‖ x ‖ y, both below p, on the curve. */
function ecdsa(params: Uint8Array | undefined, key: Uint8Array): void {
  const oid = params === undefined ? undefined : new Der(params).readOid();
  if (oid === undefined) return fail('x509: invalid ECDSA parameters');
  const curve = nistCurve(oid) ?? fail('x509: unsupported elliptic curve');
  if (key[0] !== 4) fail('ecdsa: invalid uncompressed public key');
  const { name, p, b, size } = curve;
  if (key.length !== 1 + 2 * size) fail(`invalid ${name} point encoding`);
  const x = bigEndian(key.subarray(1, 1 + size));
  const y = bigEndian(key.subarray(1 + size));
  // Go's message for P-256 is its amd64 assembly's (the golden cases are rendered there).
  if (x >= p || y >= p) fail(name === 'P256' ? 'invalid P256 element encoding' : `invalid ${name}Element encoding`);
  if ((y * y - (x * x * x - 3n * x + b)) % p !== 0n) fail(`${name} point not on curve`);
}

function curve25519(name: string, params: Uint8Array | undefined, key: Uint8Array): void {
  if (params !== undefined) fail(`x509: ${name} key encoded with illegal parameters`);
  if (key.length !== 32)
    fail(name === 'Ed25519' ? 'x509: wrong Ed25519 public key size' : 'crypto/ecdh: invalid public key');
}

function dsa(params: Uint8Array | undefined, key: Uint8Array): void {
  const y = new Der(key).readInteger() ?? fail('x509: invalid DSA public key');
  const seq = params === undefined ? undefined : new Der(params).read(TAG.SEQUENCE);
  const pqg = [seq?.readInteger(), seq?.readInteger(), seq?.readInteger()];
  if (pqg.some((x) => x === undefined)) fail('x509: invalid DSA parameters');
  if ([y, ...pqg].some((x) => (x ?? 0n) <= 0n)) fail('x509: zero or negative DSA parameter');
}

/** parsePublicKey's checks for the algorithm `oid`; `params` is the algorithm's parameters element. */
export function checkPublicKey(oid: Uint8Array, params: Uint8Array | undefined, key: Uint8Array): void {
  switch (oidString(oid)) {
    case '1.2.840.113549.1.1.1':
      rsa(params, key);
      return;
    case '1.2.840.10045.2.1':
      ecdsa(params, key);
      return;
    case '1.3.101.112':
      curve25519('Ed25519', params, key);
      return;
    case '1.3.101.110':
      curve25519('X25519', params, key);
      return;
    case '1.2.840.10040.4.1':
      dsa(params, key);
      return;
  }
}
