/**
 * Semantic versions as Masterminds/semver v3.3.0 (Sprig's `semver`) parses and orders them: a
 * `v` prefix, missing minor/patch (`1.2` is 1.2.0), uint64 segments, prerelease and metadata, and
 * its error messages.
 */
import { FuncError } from './errors.js';

export interface SemVersion {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: string;
  readonly metadata: string;
  readonly original: string;
}

// The library's loose grammar (NewVersion), anchored; ASCII only, as in Go.
const VERSION_RE =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const UINT64_MAX = (1n << 64n) - 1n;
const DIGITS_RE = /^[0-9]*$/;

/** strconv.ParseUint(s, 10, 64) for a string of digits. */
function parseSegment(s: string): bigint {
  const n = BigInt(s);
  if (n > UINT64_MAX) {
    throw new FuncError(`Error parsing version segment: strconv.ParseUint: parsing "${s}": value out of range`);
  }
  return n;
}

function validatePrerelease(pre: string): void {
  // The grammar already limits the characters; numeric identifiers may not have leading zeros.
  for (const part of pre.split('.')) {
    if (DIGITS_RE.test(part) && part.length > 1 && part.startsWith('0')) {
      throw new FuncError('Version segment starts with 0');
    }
  }
}

/** semver.NewVersion */
export function parseVersion(v: string): SemVersion {
  const m = VERSION_RE.exec(v);
  if (m === null) throw new FuncError('Invalid Semantic Version');
  const version: SemVersion = {
    major: parseSegment(m[1] ?? '0'),
    minor: m[2] !== undefined ? parseSegment(m[2].slice(1)) : 0n,
    patch: m[3] !== undefined ? parseSegment(m[3].slice(1)) : 0n,
    pre: m[5] ?? '',
    metadata: m[8] ?? '',
    original: v,
  };
  validatePrerelease(version.pre);
  return version;
}

/** Version.String(): the canonical form, without the `v` prefix. */
export function versionString(v: SemVersion): string {
  let s = `${v.major}.${v.minor}.${v.patch}`;
  if (v.pre !== '') s += '-' + v.pre;
  if (v.metadata !== '') s += '+' + v.metadata;
  return s;
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A prerelease identifier is numeric when strconv.ParseUint accepts it. */
function numericIdentifier(s: string): bigint | undefined {
  if (s === '' || !DIGITS_RE.test(s)) return undefined;
  const n = BigInt(s);
  return n > UINT64_MAX ? undefined : n;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const si = numericIdentifier(s);
  const oi = numericIdentifier(o);
  if (si === undefined && oi === undefined) return s > o ? 1 : -1;
  if (oi === undefined) return -1;
  if (si === undefined) return 1;
  return si > oi ? 1 : -1;
}

export function comparePrerelease(a: string, b: string): number {
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const d = comparePrePart(as[i] ?? '', bs[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Version.Compare: -1, 0 or 1; metadata is ignored, a prerelease sorts before its release. */
export function compareVersions(a: SemVersion, b: SemVersion): number {
  const d = compareBig(a.major, b.major) || compareBig(a.minor, b.minor) || compareBig(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === '' && b.pre === '') return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return comparePrerelease(a.pre, b.pre);
}
