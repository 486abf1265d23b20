/** Go's text/template builtin functions (funcs.go). */
import { FuncError } from './errors.js';
import { sprint, sprintln } from './fmt.js';
import { sprintf } from './sprintf.js';
import { type FuncMap, goFunc } from './functions.js';
import { isPrint } from './quote.js';
import { utf8Decode, utf8Encode, utf8Length } from './utf8.js';
import {
  GoComplex,
  GoTypedInt,
  compareGoStrings,
  elemTypeOf,
  isGoMap,
  isTrue,
  kindOf,
  mapGet,
  mapHas,
  mapLen,
  compareNumbers,
  intValue,
  typeName,
  typedSlice,
  zeroOf,
} from './values.js';

const fail = (msg: string): never => {
  throw new FuncError(msg);
};

/** Go's reflect panics when calling Type() on an invalid value. */
const zeroValueType = (): never => fail('reflect: call of reflect.Value.Type on zero Value');

function indirectInterface(v: unknown): unknown {
  return v === null ? undefined : v;
}

// eslint-disable-next-line no-control-regex -- ASCII test
const isAscii = (s: string): boolean => !/[^\x00-\x7f]/.test(s);

function indexArg(index: unknown, cap: number): number {
  const k = kindOf(index);
  let x: bigint;
  if (k === 'int' || k === 'uint') x = intValue(index);
  else if (k === 'invalid') return fail('cannot index slice/array with nil');
  else return fail(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0n || x > BigInt(cap)) fail(`index out of range: ${x}`);
  return Number(x);
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  item = indirectInterface(item);
  if (item === undefined) fail('index of untyped nil');
  for (let ix of indexes) {
    ix = indirectInterface(ix);
    if (item === null || item === undefined) fail('index of nil pointer');
    const k = kindOf(item);
    if (k === 'slice' || k === 'string') {
      const len = k === 'string' ? utf8Length(item as string) : (item as unknown[]).length;
      const x = indexArg(ix, len);
      if (x === len) fail(`reflect: ${k === 'string' ? 'string' : 'slice'} index out of range`);
      if (k === 'string') {
        const s = item as string;
        item = new GoTypedInt('uint8', isAscii(s) ? s.charCodeAt(x) : (utf8Encode(s)[x] ?? 0));
      } else {
        const e = (item as unknown[])[x];
        item = e === undefined ? null : e;
      }
    } else if (k === 'map') {
      const m = item as object;
      if (typeof ix !== 'string') {
        fail(
          ix === undefined
            ? 'value is nil; should be of type string'
            : `value has type ${typeName(ix)}; should be string`,
        );
      }
      const key = ix as string;
      item = mapHas(m, key) ? (mapGet(m, key) ?? null) : zeroOf(elemTypeOf(m));
    } else {
      fail(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  item = indirectInterface(item);
  if (item === undefined) fail('slice of untyped nil');
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(item);
  let cap: number;
  if (k === 'string') {
    if (indexes.length === 3) fail('cannot 3-index slice a string');
    cap = utf8Length(item as string);
  } else if (k === 'slice') cap = (item as unknown[]).length;
  else return fail(`can't slice item of type ${typeName(item)}`);
  const idx = [0, cap, 0];
  indexes.forEach((ix, i) => (idx[i] = indexArg(indirectInterface(ix), cap)));
  const [lo = 0, hi = 0, max = 0] = idx;
  if (lo > hi) fail(`invalid slice index: ${lo} > ${hi}`);
  if (indexes.length === 3 && hi > max) fail(`invalid slice index: ${hi} > ${max}`);
  if (k === 'string') {
    const s = item as string;
    return isAscii(s) ? s.slice(lo, hi) : utf8Decode(utf8Encode(s).slice(lo, hi));
  }
  const arr = item as unknown[];
  const out = arr.slice(lo, hi);
  const et = elemTypeOf(arr);
  return et === 'interface {}' ? out : typedSlice(out, et);
}

function length(item: unknown): number {
  if (item === null) fail('len of nil pointer');
  switch (kindOf(item)) {
    case 'string':
      return utf8Length(item as string);
    case 'slice':
      return (item as unknown[]).length;
    case 'map':
      return mapLen(item as object);
    case 'invalid':
      return zeroValueType();
  }
  return fail(`len of type ${typeName(item)}`);
}

function call(name: string, fn: unknown, ...args: unknown[]): unknown {
  fn = indirectInterface(fn);
  if (fn === undefined) fail('call of nil');
  if (typeof fn !== 'function') fail(`non-function ${name} of type ${typeName(fn)}`);
  return (fn as (...a: unknown[]) => unknown)(...args.map((a) => (a === undefined ? null : a)));
}

type BasicKind = 'invalid' | 'bool' | 'complex' | 'int' | 'float' | 'string' | 'uint';

function basicKind(v: unknown): BasicKind {
  const k = kindOf(v);
  switch (k) {
    case 'bool':
    case 'complex':
    case 'int':
    case 'float':
    case 'string':
    case 'uint':
      return k;
  }
  return 'invalid';
}

const errBadComparisonType = 'invalid type for comparison';

function isNilValue(v: unknown): boolean {
  return v === undefined || v === null;
}

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  arg1 = indirectInterface(arg1);
  if (arg2.length === 0) fail('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (let arg of arg2) {
    arg = indirectInterface(arg);
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) {
        truth = intValue(arg1) >= 0n && intValue(arg) >= 0n && intValue(arg1) === intValue(arg);
      } else if (arg1 !== undefined && arg !== undefined) {
        fail(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg)}`);
      }
    } else {
      switch (k1) {
        case 'bool':
        case 'string':
          truth = arg1 === arg;
          break;
        case 'complex':
          truth = (arg1 as GoComplex).re === (arg as GoComplex).re && (arg1 as GoComplex).im === (arg as GoComplex).im;
          break;
        case 'float':
        case 'int':
        case 'uint':
          truth = compareNumbers(arg1, arg) === 0;
          break;
        default: {
          const ka = kindOf(arg1);
          const kb = kindOf(arg);
          if (ka !== kb && ka !== 'invalid' && kb !== 'invalid') {
            fail(`non-comparable types ${fmtS(arg1)}: ${typeName(arg1)}, ${typeName(arg)}: ${fmtV(arg)}`);
          }
          if (isNilValue(arg1) || isNilValue(arg)) truth = isNilValue(arg) === isNilValue(arg1);
          else fail(`non-comparable type ${fmtS(arg)}: ${typeName(arg)}`);
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

function fmtV(v: unknown): string {
  return v === undefined ? '<invalid reflect.Value>' : sprintf('%v', [v]);
}

function fmtS(v: unknown): string {
  return v === undefined ? '<invalid reflect.Value>' : sprintf('%s', [v]);
}

function lt(arg1: unknown, arg2: unknown): boolean {
  arg1 = indirectInterface(arg1);
  const k1 = basicKind(arg1);
  if (k1 === 'invalid') fail(errBadComparisonType);
  arg2 = indirectInterface(arg2);
  const k2 = basicKind(arg2);
  if (k2 === 'invalid') fail(errBadComparisonType);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return intValue(arg1) < 0n || intValue(arg1) < intValue(arg2);
    if (k1 === 'uint' && k2 === 'int') return intValue(arg2) >= 0n && intValue(arg1) < intValue(arg2);
    fail(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg2)}`);
  }
  switch (k1) {
    case 'bool':
    case 'complex':
      return fail(errBadComparisonType);
    case 'string':
      return compareGoStrings(arg1 as string, arg2 as string) < 0;
    default:
      return compareNumbers(arg1, arg2) < 0;
  }
}

const le = (a: unknown, b: unknown): boolean => lt(a, b) || eq(a, b);

/** Go's evalArgs for html/js/urlquery: a single string as is, anything else through fmt.Sprint. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined || a === null ? '<no value>' : a)));
}

export function htmlEscape(s: string): string {
  if (!/['"&<>\0]/.test(s)) return s;
  return s.replace(/['"&<>\0]/g, (c) =>
    c === '"'
      ? '&#34;'
      : c === "'"
        ? '&#39;'
        : c === '&'
          ? '&amp;'
          : c === '<'
            ? '&lt;'
            : c === '>'
              ? '&gt;'
              : '\uFFFD',
  );
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (r < 0x20) out += '\\u00' + r.toString(16).toUpperCase().padStart(2, '0');
    else if (r < 0x80 || isPrint(r)) out += ch;
    else out += '\\u' + r.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape */
export function urlQueryEscape(s: string): string {
  let out = '';
  for (const b of utf8Encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export const builtins: FuncMap = {
  and: goFunc(['value', 'value'], () => undefined, true),
  or: goFunc(['value', 'value'], () => undefined, true),
  not: goFunc(['value'], (v: unknown) => !isTrue(indirectInterface(v))),
  call: goFunc(['value', 'value'], call, true),
  html: goFunc(['any'], (...a: unknown[]) => htmlEscape(evalArgs(a)), true),
  js: goFunc(['any'], (...a: unknown[]) => jsEscape(evalArgs(a)), true),
  urlquery: goFunc(['any'], (...a: unknown[]) => urlQueryEscape(evalArgs(a)), true),
  index: goFunc(['value', 'value'], index, true),
  slice: goFunc(['value', 'value'], slice, true),
  len: goFunc(['value'], length),
  print: goFunc(['any'], (...a: unknown[]) => sprint(a), true),
  printf: goFunc(['string', 'any'], (f: string, ...a: unknown[]) => sprintf(f, a), true),
  println: goFunc(['any'], (...a: unknown[]) => sprintln(a), true),
  eq: goFunc(['value', 'value'], eq, true),
  ne: goFunc(['value', 'value'], (a: unknown, b: unknown) => !eq(a, b)),
  lt: goFunc(['value', 'value'], lt),
  le: goFunc(['value', 'value'], le),
  gt: goFunc(['value', 'value'], (a: unknown, b: unknown) => !le(a, b)),
  ge: goFunc(['value', 'value'], (a: unknown, b: unknown) => !lt(a, b)),
};

export { isGoMap };
