/** Number literal parsing with Go's rules (parse.newNumber + strconv.ParseInt/ParseUint/ParseFloat). */
import type { NumberNode } from './ast.js';
import { unquoteChar } from './quote.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

/** strconv's underscoreOK: underscores only between digits (or after a base prefix). */
function underscoreOK(text: string): boolean {
  let s = text;
  let saw = '^';
  let i = 0;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && /[bBoOxX]/.test(s[1] ?? '')) {
    i = 2;
    saw = '0';
    hex = /[xX]/.test(s[1] ?? '');
  }
  for (; i < s.length; i++) {
    const c = s[i] ?? '';
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseInt/ParseUint with base 0; returns undefined on syntax error. */
export function parseGoInt(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  let base = 10;
  let digits = s;
  if (/^0[xX]/.test(s)) {
    base = 16;
    digits = s.slice(2);
  } else if (/^0[oO]/.test(s)) {
    base = 8;
    digits = s.slice(2);
  } else if (/^0[bB]/.test(s)) {
    base = 2;
    digits = s.slice(2);
  } else if (s.length > 1 && s.startsWith('0')) {
    base = 8;
    digits = s.slice(1);
  }
  if (digits.includes('_')) {
    if (!underscoreOK(text)) return undefined;
    digits = digits.replace(/_/g, '');
  }
  if (digits.length === 0) return undefined;
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  let v = 0n;
  const b = BigInt(base);
  for (const ch of digits) v = v * b + BigInt(parseInt(ch, 16));
  return neg ? -v : v;
}

/** strconv.ParseFloat (decimal and hex floats, underscores with base prefix); undefined on error. */
export function parseGoFloat(text: string): number | undefined {
  let s = text;
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (s.includes('_')) {
    if (!underscoreOK(s)) return undefined;
    s = s.replace(/_/g, '');
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (m && (m[2] ?? '') + (m[3] ?? '') !== '') {
    const intPart = m[2] ?? '';
    const frac = m[3] ?? '';
    let mant = 0;
    for (const ch of intPart + frac) mant = mant * 16 + parseInt(ch, 16);
    const v = mant * Math.pow(2, Number(m[4]) - 4 * frac.length);
    return m[1] === '-' ? -v : v;
  }
  return undefined;
}

/** Builds a NumberNode or returns an error message (Go's wording). */
export function newNumber(pos: number, text: string, isChar: boolean, isComplexItem: boolean): NumberNode | string {
  const n: NumberNode = {
    type: 'number',
    pos,
    text,
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int: 0,
    uint: 0,
    float: 0,
    complex: [0, 0],
    intOverflow: false,
  };
  if (isChar) {
    let r: number;
    let tail: string;
    try {
      [r, , tail] = unquoteChar(text.slice(1), 0x27);
    } catch {
      return 'invalid syntax';
    }
    if (tail !== "'") return `malformed character constant: ${text}`;
    n.isInt = n.isUint = n.isFloat = true;
    n.int = n.uint = n.float = r;
    return n;
  }
  if (isComplexItem) {
    // fmt.Sscan of a complex: "1+2i" form.
    const m = /^([+-]?[0-9.eE_xXpPa-fA-F]+?)([+-][0-9.eE_xXpPa-fA-F]*)i$/.exec(text);
    const re = m ? parseGoFloat(m[1] ?? '') : undefined;
    const im = m ? parseGoFloat(m[2] ?? '') : undefined;
    if (re === undefined || im === undefined) return 'expected integer';
    n.isComplex = true;
    n.complex = [re, im];
    simplifyComplex(n);
    return n;
  }
  if (text.endsWith('i')) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== undefined) {
      n.isComplex = true;
      n.complex = [0, f];
      simplifyComplex(n);
      return n;
    }
  }
  const big = parseGoInt(text);
  if (big !== undefined) {
    if (big >= 0n && big <= UINT64_MAX && !text.startsWith('-')) {
      n.isUint = true;
      n.uint = Number(big);
    }
    if (big >= INT64_MIN && big <= INT64_MAX) {
      n.isInt = true;
      n.int = Number(big);
      if (!Number.isSafeInteger(n.int)) n.big = big;
      if (big === 0n) {
        n.isUint = true;
        n.uint = 0;
      }
    } else if (n.isUint) {
      n.intOverflow = true;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float = n.int;
  } else if (n.isUint) {
    n.isFloat = true;
    n.float = n.uint;
  } else {
    const f = parseGoFloat(text);
    if (f !== undefined && Number.isFinite(f)) {
      if (!/[.eEpP]/.test(text)) return `integer overflow: ${JSON.stringify(text)}`;
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && f >= -9223372036854775808 && f < 9223372036854775808) {
        n.isInt = true;
        n.int = f;
      }
      if (Number.isInteger(f) && f >= 0 && f < 18446744073709551616) {
        n.isUint = true;
        n.uint = f;
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) return `illegal number syntax: ${JSON.stringify(text)}`;
  return n;
}

function simplifyComplex(n: NumberNode): void {
  const [re, im] = n.complex;
  if (im === 0) {
    n.isFloat = true;
    n.float = re;
    if (Number.isInteger(re)) {
      n.isInt = true;
      n.int = re;
      if (re >= 0) {
        n.isUint = true;
        n.uint = re;
      }
    }
  }
}
