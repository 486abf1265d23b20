/** Sprig's deterministic cryptographic functions: `decryptAES`, `derivePassword`, `buildCustomCert`. */
import { AES_BLOCK_SIZE, aes256CbcDecrypt } from './aes.js';
import { base64DecodeBytes } from './encoding.js';
import { FuncError } from './errors.js';
import type { Evaluator } from './eval.js';
import { type FuncMap, type GoFunc, goFunc } from './functions.js';
import { hmacSha256 } from './hashes.js';
import { pemDecode } from './pem.js';
import { PrivateKeyError, checkPrivateKeyPem } from './privateKey.js';
import { scrypt } from './scrypt.js';
import { utf8Decode, utf8Encode } from './utf8.js';
import { GoStruct, type GoTypedInt } from './values.js';
import { X509Error, checkCertificate } from './x509Certificate.js';

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

/**
 * Steps one derivePassword call counts against the step budget. Its scrypt (N=32768, r=8, p=2: 32 MiB,
 * about a second of CPU here) costs as much as hundreds of thousands of ordinary steps; 20,000 lets the
 * default budget (DEFAULT_MAX_STEPS, 100,000) hold four calls, so a loop of them fails on `steps` at
 * once instead of running for minutes.
 */
export const DERIVE_PASSWORD_STEPS = 20_000;

const MASTER_PASSWORD_SEED = 'com.lyndir.masterpassword';

/** The "master password" algorithm's templates per password type, as Sprig has them. */
const PASSWORD_TEMPLATES: Record<string, readonly string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    ...['CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv'],
    ...['CvccCvcvCvcvno', 'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc'],
    ...['CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno'],
    ...['CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc'],
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

/** The characters each template letter draws from. */
const TEMPLATE_CHARACTERS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

/** The seed followed by a big-endian uint32 length and the text, as the algorithm frames its inputs. */
function framed(text: string, ...suffix: Uint8Array[]): Uint8Array {
  const seed = utf8Encode(MASTER_PASSWORD_SEED);
  const bytes = utf8Encode(text);
  const rest = suffix.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(seed.length + 4 + bytes.length + rest);
  out.set(seed);
  new DataView(out.buffer).setUint32(seed.length, bytes.length);
  out.set(bytes, seed.length + 4);
  let off = seed.length + 4 + bytes.length;
  for (const b of suffix) {
    out.set(b, off);
    off += b.length;
  }
  return out;
}

/**
 * Sprig's derivePassword: the "master password" algorithm. scrypt of the password salted with the
 * user keys an HMAC-SHA256 of the site and counter, whose bytes pick a template of the type and each
 * of its characters. An unknown type is Sprig's message as the result, not an error.
 */
function derivePassword(
  ev: Evaluator,
  counter: GoTypedInt,
  type: string,
  password: string,
  user: string,
  site: string,
): string {
  const templates = Object.prototype.hasOwnProperty.call(PASSWORD_TEMPLATES, type)
    ? PASSWORD_TEMPLATES[type]
    : undefined;
  if (templates === undefined) return `cannot find password template ${type}`;
  const key = scrypt(utf8Encode(password), framed(user), {
    n: 32768,
    r: 8,
    p: 2,
    keyLen: 64,
    // The render deadline can stop a call, which takes about a second.
    onProgress: () => {
      ev.checkpoint();
    },
  });
  const count = new Uint8Array(4);
  new DataView(count.buffer).setUint32(0, counter.v);
  const seed = hmacSha256(key, framed(site, count));
  const template = templates[(seed[0] ?? 0) % templates.length] ?? '';
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const chars = TEMPLATE_CHARACTERS[template[i] ?? ''] ?? '';
    out += chars[(seed[i + 1] ?? 0) % chars.length] ?? '';
  }
  return out;
}

const derivePasswordFunc: GoFunc = {
  params: ['uint32', 'string', 'string', 'string', 'string'],
  stateful: true,
  steps: DERIVE_PASSWORD_STEPS,
  fn: derivePassword,
};

/** Decodes base64 or fails with `message` (Sprig drops the decoder's error). */
function decodeBase64(text: string, message: string): Uint8Array {
  try {
    return base64DecodeBytes(text);
  } catch {
    throw new FuncError(message);
  }
}

/** Runs a parser's check, failing with Sprig's prefix before the parser's message. */
function check(prefix: string, errorType: typeof X509Error | typeof PrivateKeyError, run: () => void): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof errorType)) throw e;
    throw new FuncError(`${prefix}${e.message}`);
  }
}

/**
 * Sprig's buildCustomCert: a base64 PEM certificate and private key, checked as Go parses them
 * (x509Certificate.ts, privateKey.ts), returned as Sprig's certificate struct of the two PEM texts.
 */
function buildCustomCert(b64cert: string, b64key: string): GoStruct {
  const cert = decodeBase64(b64cert, 'unable to decode base64 certificate');
  const key = decodeBase64(b64key, 'unable to decode base64 private key');
  const block = pemDecode(cert);
  if (block === undefined) throw new FuncError('unable to decode certificate');
  check('error parsing certificate: decodedCert.Bytes: ', X509Error, () => {
    checkCertificate(block.bytes);
  });
  check('error parsing private key: ', PrivateKeyError, () => {
    checkPrivateKeyPem(key);
  });
  const fields = new Map([
    ['Cert', utf8Decode(cert)],
    ['Key', utf8Decode(key)],
  ]);
  return new GoStruct('sprig.certificate', fields, new Map(), Object.fromEntries(fields));
}

export const sprigCryptoFuncs: FuncMap = {
  buildCustomCert: goFunc(['string', 'string'], buildCustomCert),
  decryptAES: goFunc(['string', 'string'], decryptAES),
  derivePassword: derivePasswordFunc,
};
