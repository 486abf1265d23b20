/**
 * Version constraints as Masterminds/semver v3.3.0 (Sprig's `semverCompare`) reads and checks
 * them: `=`, `!=`, `>`, `<`, `>=`, `<=` (and `=>`, `=<`), `~`/`~>`, `^`, x/X/* wildcards, hyphen
 * ranges, AND by `,` or space, OR by `||`; a prerelease version satisfies only constraints that
 * name a prerelease.
 */
import { FuncError } from './errors.js';
import { type SemVersion, compareVersions, comparePrerelease, parseVersion } from './semverVersion.js';

// Go's \s is ASCII whitespace only.
const S = '[\\t\\n\\f\\r ]';
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const NONEMPTY_OPS = '!=|>=|=>|<=|=<|~>|=|>|<|~|\\^';
const CV =
  '(v?([0-9|xX*]+)(\\.[0-9|xX*]+)?(\\.[0-9|xX*]+)?(-([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?(\\+([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?)';
// Only groups 1 and 11 (the two versions) of a hyphen range are used.
const RANGE_RE = new RegExp(`${S}*${CV}${S}+-${S}+${CV}${S}*`, 'g');
const FIND_RE = new RegExp(`(${OPS})${S}*${CV}`, 'g');
const CONSTRAINT_RE = new RegExp(`^${S}*(${OPS})${S}*${CV}${S}*$`);
// The library's validity check is a yes/no match, so it is written here without the ambiguous
// runs of whitespace of the library's pattern (which backtrack exponentially in JavaScript).
const VALID_RE = new RegExp(
  `^${S}*(?:(?:${NONEMPTY_OPS})${S}*)?${CV}(?:(?:${S}*,${S}*|${S}+)(?:(?:${NONEMPTY_OPS})${S}*)?${CV})*${S}*$`,
);

interface Constraint {
  readonly con: SemVersion;
  readonly op: string;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
  readonly dirty: boolean;
}

const isX = (s: string): boolean => s === 'x' || s === 'X' || s === '*';

function parseConstraint(c: string): Constraint {
  const m = CONSTRAINT_RE.exec(c);
  if (m === null) throw new FuncError(`improper constraint: ${c}`);
  const [major, minor, patch, pre] = [m[3] ?? '', m[4] ?? '', m[5] ?? '', m[6] ?? ''];
  let ver = m[2] ?? '';
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  if (major === '' || isX(major)) {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (minor === '' || isX(minor.slice(1))) {
    minorDirty = dirty = true;
    ver = `${major}.0.0${pre}`;
  } else if (patch === '' || isX(patch.slice(1))) {
    patchDirty = dirty = true;
    ver = `${major}${minor}.0${pre}`;
  }
  let con: SemVersion;
  try {
    con = parseVersion(ver);
  } catch {
    throw new FuncError('constraint Parser Error');
  }
  return { con, op: m[1] ?? '', minorDirty, patchDirty, dirty };
}

/** Hyphen ranges `A - B` become `>= A, <= B`. */
function rewriteRange(s: string): string {
  let out = s;
  for (const m of s.matchAll(RANGE_RE)) {
    const at = out.indexOf(m[0]);
    out = out.slice(0, at) + `>= ${m[1] ?? ''}, <= ${m[11] ?? ''} ` + out.slice(at + m[0].length);
  }
  return out;
}

/** semver.NewConstraint: OR groups of AND-ed constraints. */
export function parseConstraints(text: string): Constraint[][] {
  return rewriteRange(text)
    .split('||')
    .map((group) => {
      if (!VALID_RE.test(group)) throw new FuncError(`improper constraint: ${group}`);
      return Array.from(group.matchAll(FIND_RE), (m) => parseConstraint(m[0]));
    });
}

function tilde(v: SemVersion, c: Constraint): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  const con = c.con;
  if (con.major === 0n && con.minor === 0n && con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== con.major) return false;
  return v.minor === con.minor || c.minorDirty;
}

function notEqual(v: SemVersion, c: Constraint): boolean {
  const con = c.con;
  if (c.dirty) {
    if (con.major !== v.major) return true;
    if (con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      return (v.pre !== '' || con.pre !== '') && comparePrerelease(v.pre, con.pre) !== 0;
    }
  }
  return compareVersions(v, con) !== 0;
}

function greaterThan(v: SemVersion, c: Constraint): boolean {
  const con = c.con;
  if (!c.dirty) return compareVersions(v, con) === 1;
  if (v.major !== con.major) return v.major > con.major;
  if (c.minorDirty) return false;
  if (c.patchDirty) return v.minor > con.minor;
  return compareVersions(v, con) === 1;
}

function lessThanEqual(v: SemVersion, c: Constraint): boolean {
  const con = c.con;
  if (!c.dirty) return compareVersions(v, con) <= 0;
  if (v.major > con.major) return false;
  return !(v.major === con.major && v.minor > con.minor && !c.minorDirty);
}

function caret(v: SemVersion, c: Constraint): boolean {
  const con = c.con;
  if (compareVersions(v, con) < 0) return false;
  if (con.major > 0n || c.minorDirty) return v.major === con.major;
  if (v.major > 0n) return false;
  if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
  if (v.minor > 0n) return false;
  return con.patch === v.patch;
}

function check(v: SemVersion, c: Constraint): boolean {
  // Every operator but != refuses a prerelease version unless the constraint names a prerelease;
  // != refuses it only for wildcard constraints.
  const preRefused = v.pre !== '' && c.con.pre === '';
  switch (c.op) {
    case '!=':
      return !(c.dirty && preRefused) && notEqual(v, c);
    case '>':
      return !preRefused && greaterThan(v, c);
    case '<':
      return !preRefused && compareVersions(v, c.con) < 0;
    case '>=':
    case '=>':
      return !preRefused && compareVersions(v, c.con) >= 0;
    case '<=':
    case '=<':
      return !preRefused && lessThanEqual(v, c);
    case '~':
    case '~>':
      return !preRefused && tilde(v, c);
    case '^':
      return !preRefused && caret(v, c);
    default: // '' and '='
      return !preRefused && (c.dirty ? tilde(v, c) : compareVersions(v, c.con) === 0);
  }
}

/** Constraints.Check: some OR group whose constraints all hold. */
export function satisfies(groups: Constraint[][], v: SemVersion): boolean {
  return groups.some((group) => group.every((c) => check(v, c)));
}
