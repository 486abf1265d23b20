/**
 * Go's x509 processExtensions for buildCustomCert: the contents of the extensions Go reads (key usage,
 * basic constraints, subject alternative names, CRL distribution points, key identifiers, policy
 * constraints and mappings, certificate policies, extended key usage, inhibit any policy, authority
 * info access), with Go's messages. Name constraints are the one extension Go reads that is not
 * checked here.
 */
import { Der, TAG, byteString, contextTag } from './der.js';
import { UrlError, parseUrl } from './goUrl.js';
import { goQuote } from './quote.js';

export class X509ExtensionError extends Error {}

const fail = (msg: string): never => {
  throw new X509ExtensionError(msg);
};

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
/** 1.3.6.1.5.5.7.1.1 */
const OID_AUTHORITY_INFO_ACCESS = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01];

const ascii = (b: Uint8Array): boolean => b.every((c) => c < 0x80);

/** Go's domainNameValid for a URI's host: printable ASCII, no empty label, no trailing dot. */
function domainNameValid(s: string): boolean {
  if (s === '') return true;
  if (s.endsWith('.')) return false;
  return s.split('.').every((label) => /^[!-~]+$/.test(label));
}

function subjectAltNames(value: Uint8Array): void {
  const der = new Der(value).read(TAG.SEQUENCE) ?? fail('x509: invalid subject alternative names');
  while (!der.empty()) {
    const san = der.readAny() ?? fail('x509: invalid subject alternative name');
    const data = san.contents;
    switch (san.tag ^ 0x80) {
      case 1:
        if (!ascii(data)) fail('x509: SAN rfc822Name is malformed');
        break;
      case 2:
        if (!ascii(data)) fail('x509: SAN dNSName is malformed');
        break;
      case 6: {
        if (!ascii(data)) fail('x509: SAN uniformResourceIdentifier is malformed');
        const uri = byteString(data);
        let host: string;
        try {
          host = parseUrl(uri).host;
        } catch (e) {
          if (!(e instanceof UrlError)) throw e;
          return fail(`x509: cannot parse URI ${goQuote(uri)}: ${e.message}`);
        }
        if (!domainNameValid(host)) fail(`x509: cannot parse URI ${goQuote(uri)}: invalid domain`);
        break;
      }
      case 7:
        if (data.length !== 4 && data.length !== 16) fail(`x509: cannot parse IP address of length ${data.length}`);
        break;
    }
  }
}

function basicConstraints(value: Uint8Array): void {
  const der = new Der(value).read(TAG.SEQUENCE) ?? fail('x509: invalid basic constraints');
  if (der.peekTag(TAG.BOOLEAN) && der.readBoolean() === undefined) fail('x509: invalid basic constraints');
  if (der.peekTag(TAG.INTEGER)) {
    // Read into a uint, then at most MaxInt.
    const n = der.readInteger();
    if (n === undefined || n < 0n || n > INT64_MAX) fail('x509: invalid basic constraints');
  }
}

function crlDistributionPoints(value: Uint8Array): void {
  const der = new Der(value).read(TAG.SEQUENCE) ?? fail('x509: invalid CRL distribution points');
  while (!der.empty()) {
    const dp = der.read(TAG.SEQUENCE) ?? fail('x509: invalid CRL distribution point');
    if (!dp.peekTag(contextTag(0, true))) continue;
    const wrapped = dp.read(contextTag(0, true));
    const name = wrapped?.read(contextTag(0, true)) ?? fail('x509: invalid CRL distribution point');
    while (name.peekTag(0x86)) if (name.read(0x86) === undefined) fail('x509: invalid CRL distribution point');
  }
}

/** A context-specific primitive [n] INTEGER within int64 (ReadASN1Int64WithTag). */
function int64WithTag(der: Der, tag: number): bigint | undefined {
  const contents = der.readAny();
  if (contents?.tag !== tag) return undefined;
  // The same element read as an INTEGER.
  const element = Uint8Array.from(contents.element);
  element[0] = TAG.INTEGER;
  const n = new Der(element).readInteger();
  return n !== undefined && n >= INT64_MIN && n <= INT64_MAX ? n : undefined;
}

function policyConstraints(value: Uint8Array): void {
  const der = new Der(value).read(TAG.SEQUENCE) ?? fail('x509: invalid policy constraints extension');
  for (const tag of [0x80, 0x81]) {
    if (der.peekTag(tag) && int64WithTag(der, tag) === undefined) fail('x509: invalid policy constraints extension');
  }
}

function certificatePolicies(value: Uint8Array): void {
  const der = new Der(value).read(TAG.SEQUENCE) ?? fail('x509: invalid certificate policies');
  const seen = new Set<string>();
  while (!der.empty()) {
    const oid = der.read(TAG.SEQUENCE)?.readOid() ?? fail('x509: invalid certificate policies');
    const key = oid.join('.');
    if (seen.has(key)) fail('x509: invalid certificate policies');
    seen.add(key);
  }
}

function policyMappings(value: Uint8Array): void {
  const der = new Der(value).read(TAG.SEQUENCE) ?? fail('x509: invalid policy mappings extension');
  while (!der.empty()) {
    const s = der.read(TAG.SEQUENCE);
    if (s?.read(TAG.OID) === undefined || s.read(TAG.OID) === undefined)
      fail('x509: invalid policy mappings extension');
  }
}

function authorityInfoAccess(critical: boolean, value: Uint8Array): void {
  if (critical) fail('x509: authority info access incorrectly marked critical');
  const der = new Der(value).read(TAG.SEQUENCE) ?? fail('x509: invalid authority info access');
  while (!der.empty()) {
    const aia = der.read(TAG.SEQUENCE);
    if (aia?.readOid() === undefined) fail('x509: invalid authority info access');
    if (aia?.peekTag(0x86) === true && aia.read(0x86) === undefined) fail('x509: invalid authority info access');
  }
}

/** One extension's contents, as processExtensions reads them. */
export function checkExtension(oid: Uint8Array, critical: boolean, value: Uint8Array): void {
  if (oid.length === 3 && oid[0] === 0x55 && oid[1] === 0x1d) {
    switch (oid[2]) {
      case 14: // subject key identifier
        if (critical) fail('x509: subject key identifier incorrectly marked critical');
        if (new Der(value).read(TAG.OCTET_STRING) === undefined) fail('x509: invalid subject key identifier');
        return;
      case 15:
        if (new Der(value).readBitString() === undefined) fail('x509: invalid key usage');
        return;
      case 17:
        subjectAltNames(value);
        return;
      case 19:
        basicConstraints(value);
        return;
      case 31:
        crlDistributionPoints(value);
        return;
      case 32:
        certificatePolicies(value);
        return;
      case 33:
        policyMappings(value);
        return;
      case 35: {
        // authority key identifier
        if (critical) fail('x509: authority key identifier incorrectly marked critical');
        const akid = new Der(value).read(TAG.SEQUENCE) ?? fail('x509: invalid authority key identifier');
        if (akid.peekTag(0x80) && akid.read(0x80) === undefined) fail('x509: invalid authority key identifier');
        return;
      }
      case 36:
        policyConstraints(value);
        return;
      case 37: {
        const der = new Der(value).read(TAG.SEQUENCE) ?? fail('x509: invalid extended key usages');
        while (!der.empty()) if (der.readOid() === undefined) fail('x509: invalid extended key usages');
        return;
      }
      case 54: {
        const n = new Der(value).readInteger();
        if (n === undefined || n < INT64_MIN || n > INT64_MAX) fail('x509: invalid inhibit any policy extension');
        return;
      }
    }
    return;
  }
  if (oid.length === OID_AUTHORITY_INFO_ACCESS.length && oid.every((b, i) => b === OID_AUTHORITY_INFO_ACCESS[i])) {
    authorityInfoAccess(critical, value);
  }
}
