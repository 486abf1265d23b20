/**
 * Sprig's parsePrivateKeyPEM for buildCustomCert: the PEM block's type picks the parser, as in Sprig,
 * and Go's messages are kept where the check is the same. PKCS#1 RSA keys (`RSA PRIVATE KEY`, and
 * inside PKCS#8 `PRIVATE KEY`) are read field by field as Go's encoding/asn1 reads them, with Go's
 * version, sign and trailing-data checks, and a two-prime key's numbers are checked against each other
 * as Go's rsa Validate does (rsaKey.ts). PKCS#8 keys of an algorithm Go does not know fail, Ed25519
 * and X25519 ones are checked for their size, EC keys as Go's parseECPrivateKey does (ecKey.ts); DSA
 * keys and multi-prime RSA keys are checked for their structure only. A structure Go's encoding/asn1
 * rejects fails here too, but with a message of ours (Go's names its reflection types).
 */
import { Der, TAG, bytesEqual, oidString } from './der.js';
import { EcKeyError, checkEcPrivateKey, readEcPrivateKey } from './ecKey.js';
import { pemDecode } from './pem.js';
import { RsaKeyError, checkRsaKey } from './rsaKey.js';

export class PrivateKeyError extends Error {}

const fail = (msg: string): never => {
  throw new PrivateKeyError(msg);
};

/** 1.2.840.113549.1.1.1 */
const OID_RSA = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01);
/** 1.2.840.10045.2.1 */
const OID_EC = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01);
/** PKCS#8 key algorithms whose key is a 32-byte OCTET STRING, by OID. */
const CURVE_KEYS = new Map([
  ['1.3.101.112', 'Ed25519'],
  ['1.3.101.110', 'X25519'],
]);
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const structureError = (what: string): PrivateKeyError => new PrivateKeyError(`asn1: structure error: not ${what}`);

/** An INTEGER read into a Go int. */
function readInt(der: Der): bigint | undefined {
  const n = der.readInteger();
  return n !== undefined && n >= INT64_MIN && n <= INT64_MAX ? n : undefined;
}

/** Whether `der` is a whole DER element of the given shape (asn1.Unmarshal succeeding, rest ignored). */
function parsesAs(der: Uint8Array, shape: (seq: Der) => boolean): boolean {
  const seq = new Der(der).read(TAG.SEQUENCE);
  return seq !== undefined && shape(seq);
}

const isPkcs8 = (seq: Der): boolean =>
  readInt(seq) !== undefined &&
  seq.read(TAG.SEQUENCE)?.readOid() !== undefined &&
  seq.read(TAG.OCTET_STRING) !== undefined;

interface Pkcs1Fields {
  version: bigint;
  e: bigint;
  /** N, D, P, Q and those of Dp, Dq, Qinv present. */
  numbers: bigint[];
  additionalPrimes: bigint[];
}

/** The PKCS#1 fields, or undefined when encoding/asn1 would fail on them. */
function pkcs1Fields(seq: Der): Pkcs1Fields | undefined {
  const version = readInt(seq);
  const n = seq.readInteger();
  const e = readInt(seq);
  const dpq = [seq.readInteger(), seq.readInteger(), seq.readInteger()];
  if (version === undefined || n === undefined || e === undefined || dpq.some((x) => x === undefined)) {
    return undefined;
  }
  const numbers = [n, ...(dpq as bigint[])];
  // Dp, Dq and Qinv are optional; so are the additional primes (a SEQUENCE of SEQUENCEs).
  for (let i = 0; i < 3 && seq.peekTag(TAG.INTEGER); i++) {
    const x = seq.readInteger();
    if (x === undefined) return undefined;
    numbers.push(x);
  }
  const additionalPrimes: bigint[] = [];
  if (seq.peekTag(TAG.SEQUENCE)) {
    const primes = seq.read(TAG.SEQUENCE);
    if (primes === undefined) return undefined;
    while (!primes.empty()) {
      const prime = primes.read(TAG.SEQUENCE);
      const values = [prime?.readInteger(), prime?.readInteger(), prime?.readInteger()];
      if (values[0] === undefined || values.some((x) => x === undefined)) return undefined;
      additionalPrimes.push(values[0]);
    }
  }
  return { version, e, numbers, additionalPrimes };
}

const isPkcs1 = (seq: Der): boolean => pkcs1Fields(seq) !== undefined;

/** x509.ParsePKCS1PrivateKey's checks. */
function checkPkcs1(der: Uint8Array): void {
  const whole = new Der(der);
  const seq = whole.read(TAG.SEQUENCE);
  const fields = seq === undefined ? undefined : pkcs1Fields(seq);
  if (fields === undefined) {
    if (readEcPrivateKey(der) !== undefined) {
      fail('x509: failed to parse private key (use ParseECPrivateKey instead for this key format)');
    }
    if (parsesAs(der, isPkcs8)) {
      fail('x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)');
    }
    throw structureError('a PKCS#1 RSA private key');
  }
  if (!whole.empty()) fail('asn1: syntax error: trailing data');
  if (fields.version > 1n) fail('x509: unsupported private key version');
  if (fields.numbers.some((x) => x <= 0n)) fail('x509: private key contains zero or negative value');
  if (fields.additionalPrimes.some((x) => x <= 0n)) fail('x509: private key contains zero or negative prime');
  if (fields.additionalPrimes.length > 0) return;
  const [n = 0n, d = 0n, p = 0n, q = 0n, ...crt] = fields.numbers;
  try {
    checkRsaKey({ n, e: fields.e, d, p, q, crt: crt.length === 3 ? (crt as [bigint, bigint, bigint]) : undefined });
  } catch (e) {
    if (!(e instanceof RsaKeyError)) throw e;
    fail(e.message);
  }
}

/** x509.ParsePKCS8PrivateKey's checks (an RSA key inside is checked as PKCS#1). */
function checkPkcs8(der: Uint8Array): void {
  const seq = new Der(der).read(TAG.SEQUENCE);
  const version = seq === undefined ? undefined : readInt(seq);
  const algorithm = version === undefined ? undefined : seq?.read(TAG.SEQUENCE);
  const oid = algorithm?.readOid();
  const params = algorithm?.empty() === false ? algorithm.readAny() : undefined;
  const key = oid === undefined ? undefined : seq?.read(TAG.OCTET_STRING);
  if (oid === undefined || key === undefined) {
    if (readEcPrivateKey(der) !== undefined) {
      fail('x509: failed to parse private key (use ParseECPrivateKey instead for this key format)');
    }
    if (parsesAs(der, isPkcs1)) {
      fail('x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)');
    }
    throw structureError('a PKCS#8 private key');
  }
  if (bytesEqual(oid, OID_RSA)) {
    try {
      checkPkcs1(key.rest());
    } catch (e) {
      if (!(e instanceof PrivateKeyError)) throw e;
      fail(`x509: failed to parse RSA private key embedded in PKCS#8: ${e.message}`);
    }
    return;
  }
  const curve = CURVE_KEYS.get(oidString(oid));
  if (curve !== undefined) {
    if (params !== undefined) fail(`x509: invalid ${curve} private key parameters`);
    // Go's message goes on with its encoding/asn1 error, which names its reflection types.
    const seed =
      new Der(key.rest()).read(TAG.OCTET_STRING) ??
      fail(`x509: invalid ${curve} private key: asn1: structure error: not an OCTET STRING`);
    const size = seed.rest().length;
    if (size !== 32) {
      fail(
        curve === 'Ed25519'
          ? `x509: invalid Ed25519 private key length: ${size}`
          : 'crypto/ecdh: invalid private key size',
      );
    }
    return;
  }
  if (!bytesEqual(oid, OID_EC)) {
    fail(`x509: PKCS#8 wrapping contained private key with unknown algorithm: ${oidString(oid)}`);
  }
  // The curve is the parameters' OID when they are one, else the key's own.
  const namedCurve = params?.tag === TAG.OID ? new Der(params.element).readOid() : undefined;
  try {
    checkEc(key.rest(), namedCurve);
  } catch (e) {
    if (!(e instanceof PrivateKeyError)) throw e;
    fail(`x509: failed to parse EC private key embedded in PKCS#8: ${e.message}`);
  }
}

/** x509.parseECPrivateKey's checks (ecKey.ts). */
function checkEc(der: Uint8Array, namedCurve: Uint8Array | undefined): void {
  const key = readEcPrivateKey(der);
  if (key === undefined) {
    if (parsesAs(der, isPkcs8)) {
      fail('x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)');
    }
    if (parsesAs(der, isPkcs1)) {
      fail('x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)');
    }
    return fail('x509: failed to parse EC private key: asn1: structure error: not an EC private key');
  }
  try {
    checkEcPrivateKey(key, namedCurve);
  } catch (e) {
    if (!(e instanceof EcKeyError)) throw e;
    fail(e.message);
  }
}

/** Sprig's parsePrivateKeyPEM; throws PrivateKeyError with Sprig's (and Go's) message. */
export function checkPrivateKeyPem(pem: Uint8Array): void {
  const block = pemDecode(pem) ?? fail('no PEM data in input');
  if (block.type === 'PRIVATE KEY') {
    try {
      checkPkcs8(block.bytes);
    } catch (e) {
      if (!(e instanceof PrivateKeyError)) throw e;
      fail(`decoding PEM as PKCS#8: ${e.message}`);
    }
    return;
  }
  if (!block.type.endsWith(' PRIVATE KEY')) fail(`no private key data in PEM block of type ${block.type}`);
  const wrap = (what: string, check: () => void): void => {
    try {
      check();
    } catch (e) {
      if (!(e instanceof PrivateKeyError)) throw e;
      fail(`parsing ${what} private key from PEM: ${e.message}`);
    }
  };
  switch (block.type.slice(0, -' PRIVATE KEY'.length)) {
    case 'RSA':
      wrap('RSA', () => {
        checkPkcs1(block.bytes);
      });
      return;
    case 'EC':
      wrap('EC', () => {
        checkEc(block.bytes, undefined);
      });
      return;
    case 'DSA':
      wrap('DSA', () => {
        // Sprig's DSAKeyFormat: a version (a Go int) and P, Q, G, Y, X.
        const sixIntegers = (seq: Der): boolean =>
          readInt(seq) !== undefined && [1, 2, 3, 4, 5].every(() => seq.readInteger() !== undefined);
        if (!parsesAs(block.bytes, sixIntegers)) throw structureError('a DSA private key');
      });
      return;
    default:
      fail(`invalid private key type ${block.type}`);
  }
}
