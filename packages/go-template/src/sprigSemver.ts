/**
 * Sprig's `semver` and `semverCompare`. `semver` returns a `*semver.Version`: a struct value with
 * the library's methods, which templates call as Go lets them (`.Major`, `.Compare $other`), that
 * prints as its canonical string and marshals to it. `IncMajor`, `SetPrerelease` and the like
 * return a new `semver.Version` (a value, not a pointer, as the library's methods do).
 */
import { FuncError } from './errors.js';
import { type FuncMap, type GoFunc, goFunc } from './functions.js';
import { parseConstraints, satisfies } from './semverConstraints.js';
import {
  type SemVersion,
  compareVersions,
  incMajor,
  incMinor,
  incPatch,
  parseVersion,
  setMetadata,
  setPrerelease,
  versionString,
} from './semverVersion.js';
import { GoStruct, GoTypedInt } from './values.js';

/** What `semver` returns. */
const POINTER_TYPE = '*semver.Version';
/** What the methods making a new version return (a value, whose method set lacks the pointer methods). */
const VALUE_TYPE = 'semver.Version';
const versions = new WeakMap<GoStruct, SemVersion>();

function uint64(n: bigint): GoTypedInt {
  return new GoTypedInt('uint64', Number(n), n > BigInt(Number.MAX_SAFE_INTEGER) ? n : undefined);
}

function versionOf(v: GoStruct): SemVersion {
  const parsed = versions.get(v);
  // Only semver makes values of this type; anything else is a bug here, not a template error.
  if (parsed === undefined) throw new FuncError(`not a version made by semver: ${v.type}`);
  return parsed;
}

/** The methods of `semver.Version` (value receivers), which `*semver.Version` has too. */
function valueMethods(v: SemVersion): [string, GoFunc][] {
  const next = (n: SemVersion): GoStruct => versionValue(n, VALUE_TYPE);
  return [
    ['Major', goFunc([], () => uint64(v.major))],
    ['Minor', goFunc([], () => uint64(v.minor))],
    ['Patch', goFunc([], () => uint64(v.patch))],
    ['Prerelease', goFunc([], () => v.pre)],
    ['Metadata', goFunc([], () => v.metadata)],
    ['String', goFunc([], () => versionString(v))],
    ['IncMajor', goFunc([], () => next(incMajor(v)))],
    ['IncMinor', goFunc([], () => next(incMinor(v)))],
    ['IncPatch', goFunc([], () => next(incPatch(v)))],
    ['SetPrerelease', goFunc(['string'], (pre: string) => next(setPrerelease(v, pre)))],
    ['SetMetadata', goFunc(['string'], (metadata: string) => next(setMetadata(v, metadata)))],
  ];
}

/** The methods only `*semver.Version` has (pointer receivers). */
function pointerMethods(v: SemVersion): [string, GoFunc][] {
  const cmp = (o: GoStruct): number => compareVersions(v, versionOf(o));
  return [
    ['Original', goFunc([], () => v.original)],
    ['Compare', goFunc([POINTER_TYPE], cmp)],
    ['LessThan', goFunc([POINTER_TYPE], (o: GoStruct) => cmp(o) < 0)],
    ['LessThanEqual', goFunc([POINTER_TYPE], (o: GoStruct) => cmp(o) <= 0)],
    ['GreaterThan', goFunc([POINTER_TYPE], (o: GoStruct) => cmp(o) > 0)],
    ['GreaterThanEqual', goFunc([POINTER_TYPE], (o: GoStruct) => cmp(o) >= 0)],
    ['Equal', goFunc([POINTER_TYPE], (o: GoStruct) => cmp(o) === 0)],
  ];
}

function versionValue(v: SemVersion, type: typeof POINTER_TYPE | typeof VALUE_TYPE): GoStruct {
  // A method's result is not addressable in Go, so a template cannot reach the pointer methods of a
  // `semver.Version`: `(semver "1.0.0").IncMajor.Original` fails as in Go.
  const methods = type === POINTER_TYPE ? [...valueMethods(v), ...pointerMethods(v)] : valueMethods(v);
  const value = new GoStruct(type, new Map(), new Map(), versionString(v), new Map(methods));
  versions.set(value, v);
  return value;
}

export const sprigSemverFuncs: FuncMap = {
  semver: goFunc(['string'], (s: string) => versionValue(parseVersion(s), POINTER_TYPE)),
  semverCompare: goFunc(['string', 'string'], (constraint: string, version: string) => {
    const groups = parseConstraints(constraint);
    return satisfies(groups, parseVersion(version));
  }),
};
