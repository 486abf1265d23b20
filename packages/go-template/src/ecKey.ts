/**
 * Go's x509 parseECPrivateKey for buildCustomCert (`EC PRIVATE KEY`, and EC keys in PKCS#8): the SEC 1
 * structure as encoding/asn1 reads it, the version, a NIST curve Go knows, the key's length and its
 * scalar against the curve's order, with Go's messages. The public key in the structure is not
 * compared with the private one (Go does not compare them either).
 */
import { Der, TAG, contextTag, oidString } from './der.js';

export class EcKeyError extends Error {}

const fail = (msg: string): never => {
  throw new EcKeyError(msg);
};

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** A NIST curve: y² = x³ − 3x + b over the field of prime p, of order n; scalars take `size` bytes. */
export interface NistCurve {
  name: string;
  p: bigint;
  b: bigint;
  n: bigint;
  size: number;
}

/** The NIST curves Go knows, by OID. */
const CURVES = new Map<string, NistCurve>([
  [
    '1.3.132.0.33',
    {
      name: 'P224',
      p: 2n ** 224n - 2n ** 96n + 1n,
      b: BigInt('0xb4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4'),
      n: BigInt('0xffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d'),
      size: 28,
    },
  ],
  [
    '1.2.840.10045.3.1.7',
    {
      name: 'P256',
      p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
      b: BigInt('0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b'),
      n: BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
      size: 32,
    },
  ],
  [
    '1.3.132.0.34',
    {
      name: 'P384',
      p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
      b: BigInt('0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef'),
      n: BigInt('0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
      size: 48,
    },
  ],
  [
    '1.3.132.0.35',
    {
      name: 'P521',
      p: 2n ** 521n - 1n,
      b: BigInt(
        '0x51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00',
      ),
      n: BigInt(
        '0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
      ),
      size: 66,
    },
  ],
]);

/** The named curve, when Go knows it (x509's namedCurveFromOID). */
export function nistCurve(oid: Uint8Array): NistCurve | undefined {
  return CURVES.get(oidString(oid));
}

interface EcPrivateKey {
  version: bigint;
  privateKey: Uint8Array;
  curve: Uint8Array | undefined;
}

/** The ecPrivateKey structure as encoding/asn1 reads it, or undefined when it cannot. */
export function readEcPrivateKey(der: Uint8Array): EcPrivateKey | undefined {
  const seq = new Der(der).read(TAG.SEQUENCE);
  const version = seq?.readInteger();
  if (seq === undefined || version === undefined || version < INT64_MIN || version > INT64_MAX) return undefined;
  const privateKey = seq.read(TAG.OCTET_STRING)?.rest();
  if (privateKey === undefined) return undefined;
  let curve: Uint8Array | undefined;
  if (seq.peekTag(contextTag(0, true))) {
    curve = seq.read(contextTag(0, true))?.readOid();
    if (curve === undefined) return undefined;
  }
  if (seq.peekTag(contextTag(1, true)) && seq.read(contextTag(1, true))?.readBitString() === undefined) {
    return undefined;
  }
  return { version, privateKey, curve };
}

/** parseECPrivateKey's checks after the structure; `namedCurve` is the PKCS#8 wrapping's curve, if any. */
export function checkEcPrivateKey(key: EcPrivateKey, namedCurve: Uint8Array | undefined): void {
  if (key.version !== 1n) fail(`x509: unknown EC private key version ${key.version}`);
  const oid = namedCurve ?? key.curve;
  const curve = oid === undefined ? undefined : CURVES.get(oidString(oid));
  if (curve === undefined) return fail('x509: unknown elliptic curve');
  // Leading zero bytes beyond the curve's size are tolerated, as Go does.
  let bytes = key.privateKey;
  while (bytes.length > curve.size) {
    if (bytes[0] !== 0) fail('x509: invalid private key length');
    bytes = bytes.subarray(1);
  }
  let d = 0n;
  for (const b of bytes) d = (d << 8n) | BigInt(b);
  // A zero scalar (or the order itself) has no public point; a larger one does not fit the order.
  if (d === 0n || d === curve.n) fail('ecdsa: invalid public key encoding');
  if (d > curve.n) fail('input overflows the modulus');
}
