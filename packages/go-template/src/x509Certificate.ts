/**
 * The checks of Go's x509.ParseCertificate, with its error messages, for Sprig's buildCustomCert: the
 * certificate, TBS certificate, version, serial number, matching signature algorithms, issuer and
 * subject names (RDN structure and string types), validity times, the subject public key info
 * (x509PublicKey.ts), unique IDs, extensions (framing, critical flag, duplicates, and the contents of
 * those Go reads but name constraints: x509Extensions.ts), the signature BIT STRING and trailing data.
 * Not checked, though Go checks it: the name constraints extension.
 * Signatures are not verified (Go does not verify them when parsing either).
 */
import { Der, TAG, byteString, bytesEqual, contextTag, oidString } from './der.js';
import { X509ExtensionError, checkExtension } from './x509Extensions.js';
import { X509PublicKeyError, checkPublicKey } from './x509PublicKey.js';
import { asn1StringProblem, validGeneralizedTime, validUtcTime } from './x509Values.js';

export class X509Error extends Error {}

const fail = (msg: string): never => {
  throw new X509Error(msg);
};

const INT64_MAX = (1n << 63n) - 1n;

/** An AlgorithmIdentifier: its OID and, when present, its parameters element. */
function parseAI(der: Der): { oid: Uint8Array; params: Uint8Array | undefined } {
  const oid = der.readOid() ?? fail('x509: malformed OID');
  if (der.empty()) return { oid, params: undefined };
  const params = der.readAny() ?? fail('x509: malformed parameters');
  return { oid, params: params.element };
}

function parseName(element: Uint8Array): void {
  const raw = new Der(element).read(TAG.SEQUENCE) ?? fail('x509: invalid RDNSequence');
  while (!raw.empty()) {
    const set = raw.read(TAG.SET) ?? fail('x509: invalid RDNSequence');
    while (!set.empty()) {
      const atav = set.read(TAG.SEQUENCE) ?? fail('x509: invalid RDNSequence: invalid attribute');
      if (atav.readOid() === undefined) fail('x509: invalid RDNSequence: invalid attribute type');
      const value = atav.readAny() ?? fail('x509: invalid RDNSequence: invalid attribute value');
      const problem = asn1StringProblem(value.tag, value.contents);
      if (problem !== undefined) fail(`x509: invalid RDNSequence: invalid attribute value: ${problem}`);
    }
  }
}

function parseTime(der: Der): void {
  const utc = der.peekTag(TAG.UTC_TIME);
  if (!utc && !der.peekTag(TAG.GENERALIZED_TIME)) fail('x509: unsupported time format');
  const text = byteString(der.readAny()?.contents ?? Uint8Array.of(0));
  if (!(utc ? validUtcTime(text) : validGeneralizedTime(text))) {
    fail(`x509: malformed ${utc ? 'UTCTime' : 'GeneralizedTime'}`);
  }
}

function parseExtensions(tbs: Der): void {
  if (!tbs.peekTag(contextTag(3, true))) return;
  const wrapped = tbs.read(contextTag(3, true)) ?? fail('x509: malformed extensions');
  const extensions = wrapped.read(TAG.SEQUENCE) ?? fail('x509: malformed extensions');
  const seen = new Set<string>();
  const parsed: { oid: Uint8Array; critical: boolean; value: Uint8Array }[] = [];
  while (!extensions.empty()) {
    const ext = extensions.read(TAG.SEQUENCE) ?? fail('x509: malformed extension');
    const oid = ext.readOid() ?? fail('x509: malformed extension OID field');
    const critical = ext.peekTag(TAG.BOOLEAN) ? ext.readBoolean() : false;
    if (critical === undefined) fail('x509: malformed extension critical field');
    const value = ext.read(TAG.OCTET_STRING) ?? fail('x509: malformed extension value field');
    const id = oidString(oid);
    if (seen.has(id)) fail(`x509: certificate contains duplicate extension with OID "${id}"`);
    seen.add(id);
    parsed.push({ oid, critical: critical === true, value: value.rest() });
  }
  // Go reads the contents once every extension has been framed.
  for (const { oid, critical, value } of parsed) {
    try {
      checkExtension(oid, critical, value);
    } catch (e) {
      if (!(e instanceof X509ExtensionError)) throw e;
      fail(e.message);
    }
  }
}

/** x509.ParseCertificate's checks on DER bytes; throws X509Error with Go's message. */
export function checkCertificate(bytes: Uint8Array): void {
  const whole = new Der(bytes);
  const raw = whole.readElement(TAG.SEQUENCE) ?? fail('x509: malformed certificate');
  const input = new Der(raw).read(TAG.SEQUENCE) ?? fail('x509: malformed certificate');
  const tbsElement = input.readElement(TAG.SEQUENCE) ?? fail('x509: malformed tbs certificate');
  const tbs = new Der(tbsElement).read(TAG.SEQUENCE) ?? fail('x509: malformed tbs certificate');

  let version = 0n;
  if (tbs.peekTag(contextTag(0, true))) {
    const wrapped = tbs.read(contextTag(0, true));
    const v = wrapped?.readInteger();
    if (v === undefined || !wrapped?.empty() || v > INT64_MAX || v < -INT64_MAX - 1n) fail('x509: malformed version');
    version = v ?? 0n;
  }
  if (version < 0n) fail('x509: malformed version');
  if (version + 1n > 3n) fail('x509: invalid version');

  const serial = tbs.readInteger() ?? fail('x509: malformed serial number');
  if (serial < 0n) fail('x509: negative serial number');

  const sigAI = tbs.read(TAG.SEQUENCE) ?? fail('x509: malformed signature algorithm identifier');
  const sigAIBytes = sigAI.rest();
  const outerSigAI = input.read(TAG.SEQUENCE) ?? fail('x509: malformed algorithm identifier');
  if (!bytesEqual(outerSigAI.rest(), sigAIBytes)) {
    fail("x509: inner and outer signature algorithm identifiers don't match");
  }
  parseAI(sigAI);

  parseName(tbs.readElement(TAG.SEQUENCE) ?? fail('x509: malformed issuer'));
  const validity = tbs.read(TAG.SEQUENCE) ?? fail('x509: malformed validity');
  parseTime(validity);
  parseTime(validity);
  // Go reports a missing subject as a malformed issuer.
  parseName(tbs.readElement(TAG.SEQUENCE) ?? fail('x509: malformed issuer'));

  const spkiElement = tbs.readElement(TAG.SEQUENCE) ?? fail('x509: malformed spki');
  const spki = new Der(spkiElement).read(TAG.SEQUENCE) ?? fail('x509: malformed spki');
  const pkAI = parseAI(spki.read(TAG.SEQUENCE) ?? fail('x509: malformed public key algorithm identifier'));
  const publicKey = spki.readBitString() ?? fail('x509: malformed subjectPublicKey');
  try {
    checkPublicKey(pkAI.oid, pkAI.params, publicKey);
  } catch (e) {
    if (!(e instanceof X509PublicKeyError)) throw e;
    fail(e.message);
  }

  if (version >= 1n) {
    if (!tbs.skipOptional(contextTag(1, false))) fail('x509: malformed issuerUniqueID');
    if (!tbs.skipOptional(contextTag(2, false))) fail('x509: malformed subjectUniqueID');
    if (version === 2n) parseExtensions(tbs);
  }

  if (input.readBitString() === undefined) fail('x509: malformed signature');
  if (raw.length !== bytes.length) fail('x509: trailing data');
}
