/**
 * Sprig's `semver` and `semverCompare`. `semver` returns a `*semver.Version`: a struct value with
 * the library's methods, which templates call as Go lets them (`.Major`, `.Compare $other`), that
 * prints as its canonical string and marshals to it.
 */
import { FuncError } from './errors.js';
import { type FuncMap, type GoFunc, goFunc } from './functions.js';
import { parseConstraints, satisfies } from './semverConstraints.js';
import { type SemVersion, compareVersions, parseVersion, versionString } from './semverVersion.js';
import { GoStruct, GoTypedInt } from './values.js';

const VERSION_TYPE = '*semver.Version';
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

function methods(v: SemVersion): Map<string, GoFunc> {
  const cmp = (o: GoStruct): number => compareVersions(v, versionOf(o));
  return new Map<string, GoFunc>([
    ['Major', goFunc([], () => uint64(v.major))],
    ['Minor', goFunc([], () => uint64(v.minor))],
    ['Patch', goFunc([], () => uint64(v.patch))],
    ['Prerelease', goFunc([], () => v.pre)],
    ['Metadata', goFunc([], () => v.metadata)],
    ['Original', goFunc([], () => v.original)],
    ['String', goFunc([], () => versionString(v))],
    ['Compare', goFunc([VERSION_TYPE], cmp)],
    ['LessThan', goFunc([VERSION_TYPE], (o: GoStruct) => cmp(o) < 0)],
    ['LessThanEqual', goFunc([VERSION_TYPE], (o: GoStruct) => cmp(o) <= 0)],
    ['GreaterThan', goFunc([VERSION_TYPE], (o: GoStruct) => cmp(o) > 0)],
    ['GreaterThanEqual', goFunc([VERSION_TYPE], (o: GoStruct) => cmp(o) >= 0)],
    ['Equal', goFunc([VERSION_TYPE], (o: GoStruct) => cmp(o) === 0)],
  ]);
}

function versionValue(s: string): GoStruct {
  const v = parseVersion(s);
  const value = new GoStruct(VERSION_TYPE, new Map(), new Map(), versionString(v), methods(v));
  versions.set(value, v);
  return value;
}

export const sprigSemverFuncs: FuncMap = {
  semver: goFunc(['string'], versionValue),
  semverCompare: goFunc(['string', 'string'], (constraint: string, version: string) => {
    const groups = parseConstraints(constraint);
    return satisfies(groups, parseVersion(version));
  }),
};
