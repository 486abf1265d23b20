/**
 * Sprig's dict functions (dict.go, with mergo's merge rules). Maps are made without a prototype, so
 * any key — `__proto__`, `constructor` — is an ordinary entry, as in a Go map.
 */
import { FuncError } from './errors.js';
import { type FuncMap, goFunc } from './functions.js';
import { strval } from './sprig.js';
import {
  GoStruct,
  elemTypeOf,
  mapLen,
  newMap,
  setKey,
  isGoMap,
  isTrue,
  mapGet,
  mapHas,
  sortedKeys,
  typeName,
  typedMap,
  typedSlice,
} from './values.js';

type GoMap = Record<string, unknown>;
const MAP = 'map[string]interface {}';

const isPlainMap = (v: unknown): v is GoMap => isGoMap(v) && !(v instanceof Map) && typeName(v) === MAP;
const empty = (v: unknown): boolean => !isTrue(v === null ? undefined : v);

/** mergo.Merge / MergeWithOverwrite of one map into another, recursing into maps both hold. */
function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const key of Object.keys(src)) {
    const s = src[key];
    const present = mapHas(dst, key);
    const d = present ? dst[key] : undefined;
    if (s === null || s === undefined) {
      if (overwrite) setKey(dst, key, null);
      continue;
    }
    if (isPlainMap(s) && isPlainMap(d)) mergeInto(d, s, overwrite);
    // A slice replaces only when overwriting (or into an empty map); maps both hold were merged above.
    if (present && !empty(d) && ((Array.isArray(s) && !overwrite) || (isGoMap(s) && isGoMap(d)))) continue;
    if (Array.isArray(s) && mapLen(dst) === 0) {
      setKey(dst, key, s);
      continue;
    }
    if (overwrite || !present || empty(d)) setKey(dst, key, s);
  }
}

function merge(overwrite: boolean) {
  return (dst: GoMap | null, ...srcs: (GoMap | null)[]): unknown => {
    if (dst === null) return '';
    for (const src of srcs) if (src !== null) mergeInto(dst, src, overwrite);
    return dst;
  };
}

/** copystructure.Copy: containers copied all the way down. */
function deepCopy(v: unknown): unknown {
  if (v === null || v === undefined) throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  if (Array.isArray(v)) {
    const copy = v.map(deepCopy);
    return elemTypeOf(v) === 'interface {}' ? copy : typedSlice(copy, elemTypeOf(v));
  }
  if (isGoMap(v) && !(v instanceof GoStruct)) {
    const out = newMap();
    for (const key of Object.keys(v)) setKey(out, key, deepCopy(mapGet(v, key)));
    return elemTypeOf(v) === 'interface {}' ? out : typedMap(out, elemTypeOf(v));
  }
  return v;
}

/** `interface conversion` panic of a failed type assertion to map[string]interface {}. */
function asMap(v: unknown): GoMap {
  if (isPlainMap(v)) return v;
  const t = v === null || v === undefined ? 'nil' : typeName(v);
  throw new FuncError(`interface conversion: interface {} is ${t}, not ${MAP}`);
}

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new FuncError('dig needs at least three arguments');
  let dict = asMap(ps[ps.length - 1]);
  const def = ps[ps.length - 2];
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== 'string') {
      throw new FuncError(`interface conversion: interface {} is ${k === null ? 'nil' : typeName(k)}, not string`);
    }
    return k;
  });
  for (let i = 0; ; i++) {
    const key = keys[i] ?? '';
    if (!mapHas(dict, key)) return def;
    const step = mapGet(dict, key);
    if (i === keys.length - 1) return step ?? null;
    dict = asMap(step);
  }
}

export const sprigDictFuncs: FuncMap = {
  dict: goFunc(
    ['any'],
    (...v: unknown[]) => {
      const d = newMap();
      for (let i = 0; i < v.length; i += 2) {
        setKey(d, strval(v[i]), i + 1 >= v.length ? '' : v[i + 1]);
      }
      return d;
    },
    true,
  ),
  set: goFunc([MAP, 'string', 'any'], (d: GoMap | null, key: string, value: unknown) => {
    if (d === null) throw new FuncError('assignment to entry in nil map');
    setKey(d, key, value);
    return d;
  }),
  unset: goFunc([MAP, 'string'], (d: GoMap | null, key: string) => {
    if (d !== null) Reflect.deleteProperty(d, key);
    return d;
  }),
  pluck: goFunc(
    ['string', MAP],
    (key: string, ...dicts: (GoMap | null)[]) =>
      dicts.filter((d): d is GoMap => d !== null && mapHas(d, key)).map((d) => mapGet(d, key) ?? null),
    true,
  ),
  pick: goFunc(
    [MAP, 'string'],
    (dict: GoMap | null, ...keys: string[]) => {
      const out = newMap();
      for (const k of keys) if (dict !== null && mapHas(dict, k)) setKey(out, k, mapGet(dict, k));
      return out;
    },
    true,
  ),
  omit: goFunc(
    [MAP, 'string'],
    (dict: GoMap | null, ...keys: string[]) => {
      const out = newMap();
      const omit = new Set(keys);
      if (dict !== null) for (const k of Object.keys(dict)) if (!omit.has(k)) setKey(out, k, dict[k]);
      return out;
    },
    true,
  ),
  merge: goFunc([MAP, MAP], merge(false), true),
  mustMerge: goFunc([MAP, MAP], merge(false), true),
  mergeOverwrite: goFunc([MAP, MAP], merge(true), true),
  mustMergeOverwrite: goFunc([MAP, MAP], merge(true), true),
  // Go ranges over a map in random order; these are in key order.
  values: goFunc([MAP], (d: GoMap | null) => (d === null ? [] : sortedKeys(d).map((k) => mapGet(d, k) ?? null))),
  deepCopy: goFunc(['any'], deepCopy),
  mustDeepCopy: goFunc(['any'], deepCopy),
  dig: goFunc(['any'], dig, true),
};
