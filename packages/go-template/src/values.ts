/**
 * The value model: how Go values are represented in JavaScript.
 *
 * - `undefined`  Go's invalid reflect.Value ("no value": a missing map key, a nil pipeline result).
 * - `null`       a nil interface{} held in a container (a JSON/YAML `null`).
 * - `string`, `boolean` as themselves.
 * - `number`     an integral JS number is a Go `int`; a non-integral one is a `float64`.
 * - `GoFloat`    a float64 whose value happens to be integral (float literals such as `1.0`,
 *                numbers decoded by `fromYaml`, results of float arithmetic). Wrap data with
 *                `goFloat(x)` to force float64.
 * - `GoTypedInt` other integer kinds (`uint8` from indexing a string, `int32`, `uint64`, …).
 * - `GoComplex`  complex128 (complex literals).
 * - arrays       `[]interface {}`; arrays tagged by `typedSlice` carry another element type
 *                (`[]string` from `splitList`/`keys`).
 * - plain objects (and `Map`s with string keys) are `map[string]interface {}`; `typedMap`
 *                tags `map[string]string` (from `split`).
 * - functions    Go funcs, usable with `call`.
 * - `bigint`     a Go `int` beyond 2^53 (data, integer literals, `int`/`atoi` results), kept exact.
 */

import type { GoFunc } from './functions.js';

export class GoFloat {
  constructor(readonly v: number) {}
}

export class GoComplex {
  constructor(
    readonly re: number,
    readonly im: number,
  ) {}
}

export type IntType = 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64';

export class GoTypedInt {
  constructor(
    readonly type: IntType,
    readonly v: number,
    /** The exact value when it is beyond 2^53 (int64 arithmetic of Sprig's functions). */
    readonly exact?: bigint,
  ) {}
}

/**
 * A Go struct (the typed values templates receive, such as the NodeClaim): fields by their Go
 * names, in declaration order; the fields of embedded structs (ObjectMeta's Name, Labels, …) are
 * promoted as Go promotes them; `json` is what encoding/json makes of it (for toJson, toYaml);
 * `methods` are the type's exported methods (a `String` method is what fmt prints, as in Go).
 */
export class GoStruct {
  constructor(
    readonly type: string,
    readonly fields: ReadonlyMap<string, unknown>,
    readonly promoted: ReadonlyMap<string, unknown>,
    readonly json: unknown,
    readonly methods: ReadonlyMap<string, GoFunc> = new Map(),
  ) {}

  /** The field's value; undefined when the struct has no such field. */
  field(name: string): unknown {
    return this.fields.has(name) ? this.fields.get(name) : this.promoted.get(name);
  }

  hasField(name: string): boolean {
    return this.fields.has(name) || this.promoted.has(name);
  }
}

export function goFloat(v: number): GoFloat {
  return new GoFloat(v);
}

const ELEM_TYPE = Symbol('goElemType');

interface Tagged {
  [ELEM_TYPE]?: string;
}

/** Marks an array as a Go slice with the given element type (e.g. 'string'). */
export function typedSlice<T>(arr: T[], elemType: string): T[] {
  Object.defineProperty(arr, ELEM_TYPE, { value: elemType, enumerable: false });
  return arr;
}

/** Marks an object as a Go map[string]ELEM. */
export function typedMap<T extends object>(obj: T, elemType: string): T {
  Object.defineProperty(obj, ELEM_TYPE, { value: elemType, enumerable: false });
  return obj;
}

export function elemTypeOf(container: object): string {
  return (container as Tagged)[ELEM_TYPE] ?? 'interface {}';
}

export type Kind =
  'invalid' | 'nil' | 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'string' | 'slice' | 'map' | 'struct' | 'func';

export function isGoMap(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof GoFloat) &&
    !(v instanceof GoTypedInt) &&
    !(v instanceof GoComplex) &&
    !(v instanceof GoStruct)
  );
}

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'undefined':
      return 'invalid';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'function':
      return 'func';
    case 'object':
      if (v === null) return 'nil';
      if (Array.isArray(v)) return 'slice';
      if (v instanceof GoFloat) return 'float';
      if (v instanceof GoTypedInt) return v.type.startsWith('u') ? 'uint' : 'int';
      if (v instanceof GoComplex) return 'complex';
      if (v instanceof GoStruct) return 'struct';
      return 'map';
    default:
      return 'invalid';
  }
}

/** Go type name as printed by %T and in error messages. */
export function typeName(v: unknown): string {
  switch (typeof v) {
    case 'undefined':
      return '<nil>';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float64';
    case 'bigint':
      return 'int';
    case 'function':
      return 'func(...interface {}) (interface {}, error)';
    case 'object':
      if (v === null) return 'interface {}';
      if (Array.isArray(v)) return '[]' + elemTypeOf(v);
      if (v instanceof GoFloat) return 'float64';
      if (v instanceof GoTypedInt) return v.type;
      if (v instanceof GoComplex) return 'complex128';
      if (v instanceof GoStruct) return v.type;
      return 'map[string]' + elemTypeOf(v);
    default:
      return '<nil>';
  }
}

/** Numeric value of an int/uint/float kind value. */
export function numValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoFloat || v instanceof GoTypedInt) return v.v;
  if (typeof v === 'bigint') return Number(v);
  return NaN;
}

/** The exact value of an int or uint kind value (JS numbers are exact only up to 2^53). */
export function intValue(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (v instanceof GoTypedInt) return v.exact ?? BigInt(v.v);
  return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : 0n;
}

/** A Go `int` result: a number while exact, a bigint beyond 2^53. */
export function goInt(n: bigint): number | bigint {
  const v = Number(n);
  return Number.isSafeInteger(v) ? v : n;
}

const isInt = (v: unknown): boolean => {
  const k = kindOf(v);
  return k === 'int' || k === 'uint';
};

/** Compares two numbers of Go's int, uint or float kinds: exactly when both are integers. */
export function compareNumbers(a: unknown, b: unknown): number {
  if (isInt(a) && isInt(b)) {
    const x = intValue(a);
    const y = intValue(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = numValue(a);
  const y = numValue(b);
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
}

/** Length of a Go map (plain object or Map). */
export function mapLen(m: object): number {
  if (m instanceof Map) return m.size;
  return Object.keys(m).length;
}

/** Sorted keys of a map (Go's fmtsort order for string keys: byte-wise). */
export function sortedKeys(m: object): string[] {
  const keys = m instanceof Map ? [...(m as Map<unknown, unknown>).keys()].map(String) : Object.keys(m);
  return keys.sort(compareGoStrings);
}

/** Compares strings by UTF-8 byte order (Go's string comparison). */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca !== cb) {
      // Surrogates (astral code points) sort after all BMP code points in UTF-8 order.
      if (ca >= 0xd800 && ca <= 0xdfff) ca += 0x10000;
      if (cb >= 0xd800 && cb <= 0xdfff) cb += 0x10000;
      if (ca >= 0xe000 && ca <= 0xffff && cb >= 0xd800 + 0x10000) return -1;
      if (cb >= 0xe000 && cb <= 0xffff && ca >= 0xd800 + 0x10000) return 1;
      return ca < cb ? -1 : 1;
    }
  }
  return a.length - b.length;
}

/** A new map[string]interface {}: no prototype, so `__proto__` or `constructor` are ordinary keys. */
export const newMap = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>;

/** Sets a map entry as an own property whatever the key. */
export function setKey(m: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(m, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Map lookup; returns undefined when the key is absent. */
export function mapGet(m: object, key: string): unknown {
  if (m instanceof Map) return (m as Map<string, unknown>).get(key);
  const v = (m as Record<string, unknown>)[key];
  // Fast path: a value that cannot be inherited (Object.prototype's members are functions, bar __proto__).
  if (v !== undefined && typeof v !== 'function' && key !== '__proto__') return v;
  return Object.prototype.hasOwnProperty.call(m, key) ? v : undefined;
}

export function mapHas(m: object, key: string): boolean {
  if (m instanceof Map) return m.has(key);
  return Object.prototype.hasOwnProperty.call(m, key);
}

/** Go's truthiness: false, 0, nil, and empty string/slice/map are false. */
export function isTrue(v: unknown): boolean {
  switch (typeof v) {
    case 'undefined':
      return false;
    case 'string':
      return v.length > 0;
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'function':
      return true;
    case 'object':
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof GoFloat || v instanceof GoTypedInt) return v.v !== 0;
      if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0;
      if (v instanceof GoStruct) return true;
      return mapLen(v) > 0;
    default:
      return false;
  }
}

/** The zero value for a Go element type name (used by missingkey=zero and index on typed maps). */
export function zeroOf(type: string): unknown {
  switch (type) {
    case 'string':
      return '';
    case 'int':
      return 0;
    case 'bool':
      return false;
    case 'float64':
      return new GoFloat(0);
    default:
      return null;
  }
}
