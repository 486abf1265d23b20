/** The Sprig (and Helm) functions commonly used in cloud-init templates, with Sprig's argument order. */
import { base64Decode, base64Encode, sha256Hex } from './encoding.js';
import { FuncError } from './errors.js';
import { sprintf } from './sprintf.js';
import { type FuncMap, goFunc } from './functions.js';
import { marshalJSON } from './json.js';
import { GoComplex, compareGoStrings, isTrue, mapHas, typedMap, typedSlice } from './values.js';
import { fromYaml, toYaml } from './yaml.js';
import { toGoInt } from './cast.js';
import { mapRunes, toLowerRune, toTitleRune, toUpperRune } from './unicode.js';

const MAP = 'map[string]interface {}';

/** sprig's empty(): the zero value of its type (Go truthiness inverted). */
function empty(v: unknown): boolean {
  return !isTrue(v === undefined ? null : v);
}

/** sprig's strval(): strings as is, anything else through fmt %v. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  return sprintf('%v', [v === undefined ? null : v]);
}

export function strslice(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((s) => s !== null && s !== undefined).map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const TRIM_RE = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g');
const SPACE_RE = new RegExp(`^[${SPACE}]$`);
const LETTER_DIGIT_RE = /^[\p{L}\p{Nd}]$/u;

function isSeparator(ch: string): boolean {
  const r = ch.codePointAt(0) ?? 0;
  if (r <= 0x7f) return !/[0-9a-zA-Z_]/.test(ch);
  if (LETTER_DIGIT_RE.test(ch)) return false;
  return SPACE_RE.test(ch);
}

function title(s: string): string {
  let prev = ' ';
  return mapRunes(s, (r) => {
    const out = isSeparator(prev) ? toTitleRune(r) : r;
    prev = String.fromCodePoint(r);
    return out;
  });
}

/** strings.Replace(s, old, new, -1) */
function replaceAll(s: string, old: string, nw: string): string {
  if (old === '') {
    const runes = Array.from(s);
    return nw + runes.map((r) => r + nw).join('');
  }
  return s.split(old).join(nw);
}

/** strings.Split */
function split(s: string, sep: string): string[] {
  if (sep === '') return Array.from(s);
  return s.split(sep);
}

function lineCount(v: string): number {
  let lines = 1;
  for (let i = v.indexOf('\n'); i !== -1; i = v.indexOf('\n', i + 1)) lines++;
  return lines;
}

function indent(spaces: number, v: string): string {
  if (spaces < 0) throw new FuncError('strings: negative Repeat count');
  const pad = ' '.repeat(spaces);
  return pad + replaceAll(v, '\n', '\n' + pad);
}

/** Steps for building a string of this many UTF-16 units: one per 64, as a loop writing it would cost. */
const textCost = (units: number): number => units / 64;

const str = (f: (s: string) => unknown): ReturnType<typeof goFunc> => goFunc(['string'], f);
const str2 = (f: (a: string, b: string) => unknown): ReturnType<typeof goFunc> => goFunc(['string', 'string'], f);

export const sprigFuncs: FuncMap = {
  default: goFunc(
    ['any', 'any'],
    (d: unknown, ...given: unknown[]) => (given.length === 0 || empty(given[0]) ? d : given[0]),
    true,
  ),
  empty: goFunc(['any'], empty),
  coalesce: goFunc(['any'], (...v: unknown[]) => v.find((x) => !empty(x)) ?? null, true),
  ternary: goFunc(['any', 'any', 'bool'], (vt: unknown, vf: unknown, v: boolean) => (v ? vt : vf)),
  quote: goFunc(
    ['any'],
    (...s: unknown[]) =>
      s
        .filter((x) => x !== null)
        .map((x) => sprintf('%q', [strval(x)]))
        .join(' '),
    true,
  ),
  squote: goFunc(
    ['any'],
    (...s: unknown[]) =>
      s
        .filter((x) => x !== null)
        .map((x) => sprintf("'%v'", [x]))
        .join(' '),
    true,
  ),
  indent: { ...goFunc(['int', 'string'], indent), cost: (n: number, v: string) => textCost(n * lineCount(v)) },
  nindent: {
    ...goFunc(['int', 'string'], (n: number, v: string) => '\n' + indent(n, v)),
    cost: (n: number, v: string) => textCost(n * lineCount(v)),
  },
  join: goFunc(['string', 'any'], (sep: string, v: unknown) => strslice(v).join(sep)),
  splitList: str2((sep, orig) => typedSlice(split(orig, sep), 'string')),
  split: str2((sep, orig) => {
    const res: Record<string, string> = {};
    split(orig, sep).forEach((p, i) => {
      res[`_${i}`] = p;
    });
    return typedMap(res, 'string');
  }),
  upper: str((s) => mapRunes(s, toUpperRune)),
  lower: str((s) => mapRunes(s, toLowerRune)),
  title: str(title),
  trim: str((s) => s.replace(TRIM_RE, '')),
  trimPrefix: str2((a, b) => (b.startsWith(a) ? b.slice(a.length) : b)),
  trimSuffix: str2((a, b) => (a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
  replace: goFunc(['string', 'string', 'string'], (o: string, n: string, s: string) => replaceAll(s, o, n)),
  contains: str2((substr, s) => s.includes(substr)),
  hasPrefix: str2((p, s) => s.startsWith(p)),
  hasSuffix: str2((p, s) => s.endsWith(p)),
  repeat: {
    ...goFunc(['int', 'string'], (count: number, s: string) => {
      if (count < 0) throw new FuncError('strings: negative Repeat count');
      return s.repeat(count);
    }),
    cost: (count: number, s: string) => textCost(count * s.length),
  },
  b64enc: str(base64Encode),
  b64dec: str((s) => {
    try {
      return base64Decode(s);
    } catch (e) {
      return (e as Error).message;
    }
  }),
  sha256sum: str(sha256Hex),
  toJson: goFunc(['any'], (v: unknown) => {
    try {
      return marshalJSON(v);
    } catch {
      return '';
    }
  }),
  toYaml: goFunc(['any'], toYaml),
  fromYaml: str(fromYaml),
  list: goFunc(['any'], (...v: unknown[]) => v, true),
  get: goFunc([MAP, 'string'], (d: Record<string, unknown> | null, key: string) =>
    d !== null && mapHas(d, key) ? (d[key] ?? null) : '',
  ),
  hasKey: goFunc([MAP, 'string'], (d: Record<string, unknown> | null, key: string) => d !== null && mapHas(d, key)),
  keys: goFunc(
    [MAP],
    (...dicts: (Record<string, unknown> | null)[]) =>
      typedSlice(
        dicts.flatMap((d) => (d === null ? [] : Object.keys(d).sort(compareGoStrings))),
        'string',
      ),
    true,
  ),
  required: goFunc(['string', 'any'], (warn: string, val: unknown) => {
    if (val === null || val === '') throw new FuncError(warn);
    return val;
  }),
  fail: goFunc(['string'], (msg: string) => {
    throw new FuncError(msg);
  }),
  int: goFunc(['any'], toGoInt),
  toString: goFunc(['any'], strval),
};

export { GoComplex };
