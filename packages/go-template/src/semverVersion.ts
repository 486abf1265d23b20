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

const IDENTIFIER_RE = /^[0-9A-Za-z-]*$/;

/** The library's validatePrerelease: dot-separated identifiers of [0-9A-Za-z-], numeric ones without leading zeros. */
function validatePrerelease(pre: string): void {
  for (const part of pre.split('.')) {
    if (DIGITS_RE.test(part)) {
      if (part.length > 1 && part.startsWith('0')) throw new FuncError('Version segment starts with 0');
    } else if (!IDENTIFIER_RE.test(part)) {
      throw new FuncError('Invalid Prerelease string');
    }
  }
}

/** The library's validateMetadata. */
function validateMetadata(metadata: string): void {
  for (const part of metadata.split('.')) {
    if (!IDENTIFIER_RE.test(part)) throw new FuncError('Invalid Metadata string');
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

/**
 * A version made from `v` by one of the library's methods: its Original is the new String() with the
 * `v` prefix kept when v's Original had one, as the library resets it.
 */
function derived(v: SemVersion, change: Partial<Omit<SemVersion, 'original'>>): SemVersion {
  const next = { ...v, ...change, original: '' };
  return { ...next, original: (v.original.startsWith('v') ? 'v' : '') + versionString(next) };
}

// Segments are uint64 in the library, so incrementing the largest wraps to 0 as Go's arithmetic does.
const inc = (n: bigint): bigint => (n + 1n) & UINT64_MAX;

/** Version.IncMajor */
export function incMajor(v: SemVersion): SemVersion {
  return derived(v, { major: inc(v.major), minor: 0n, patch: 0n, pre: '', metadata: '' });
}

/** Version.IncMinor */
export function incMinor(v: SemVersion): SemVersion {
  return derived(v, { minor: inc(v.minor), patch: 0n, pre: '', metadata: '' });
}

/** Version.IncPatch: a prerelease is dropped and the patch kept (1.2.3-rc.1 gives 1.2.3). */
export function incPatch(v: SemVersion): SemVersion {
  return derived(v, { patch: v.pre !== '' ? v.patch : inc(v.patch), pre: '', metadata: '' });
}

/** Version.SetPrerelease (without the leading `-`). */
export function setPrerelease(v: SemVersion, pre: string): SemVersion {
  if (pre !== '') validatePrerelease(pre);
  return derived(v, { pre });
}

/** Version.SetMetadata (without the leading `+`). */
export function setMetadata(v: SemVersion, metadata: string): SemVersion {
  if (metadata !== '') validateMetadata(metadata);
  return derived(v, { metadata });
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
