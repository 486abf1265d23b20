/** spf13/cast's conversions, as Sprig's numeric functions apply them to any value. */
import { parseGoFloat } from './number.js';
import { GoFloat, GoTypedInt, kindOf } from './values.js';

/** cast.ToInt64, exactly: bigints and strings keep every digit. */
export function toInt64Exact(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (v instanceof GoTypedInt && v.exact !== undefined) return v.exact;
  if (typeof v === 'string') {
    const n = parseIntBase0(/^(.*)\.0+$/.exec(v)?.[1] ?? v);
    return n ?? 0n;
  }
  return BigInt(toInt(v));
}

/** spf13/cast ToInt: numbers truncate, strings parse (base prefixes allowed), anything else 0. */
export function toInt(v: unknown): number {
  switch (kindOf(v)) {
    case 'int':
    case 'uint':
      return v instanceof GoTypedInt ? v.v : (v as number);
    case 'float': {
      const f = v instanceof GoFloat ? v.v : (v as number);
      return Number.isFinite(f) ? Math.trunc(f) : -9223372036854775808;
    }
    case 'bool':
      return v ? 1 : 0;
    case 'string': {
      let s = v as string;
      // cast's trimZeroDecimal: "12.000" -> "12"
      const m = /^(.*)\.0+$/.exec(s);
      if (m && m[1] !== undefined) s = m[1];
      const n = parseIntBase0(s);
      return n === undefined ? 0 : Number(n);
    }
    default:
      return 0;
  }
}

/** strconv.ParseInt(s, 0, 64) for int-sized results; undefined on error. */
export function parseIntBase0(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  if (/^0[xX]/.test(s)) {
    base = 16;
    s = s.slice(2);
  } else if (/^0[bB]/.test(s)) {
    base = 2;
    s = s.slice(2);
  } else if (/^0[oO]/.test(s)) {
    base = 8;
    s = s.slice(2);
  } else if (s.length > 1 && s.startsWith('0')) {
    base = 8;
    s = s.slice(1);
  }
  s = s.replace(/_/g, '');
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(s)) return undefined;
  const big = BigInt((base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '') + s);
  const limit = neg ? 1n << 63n : (1n << 63n) - 1n;
  if (big > limit) return undefined;
  return neg ? -big : big;
}

/** cast.ToFloat64: numbers convert, strings parse (strconv.ParseFloat), bools are 0/1, anything else 0. */
export function toFloat64(v: unknown): number {
  switch (kindOf(v)) {
    case 'int':
    case 'uint':
    case 'float':
      return v instanceof GoTypedInt || v instanceof GoFloat ? v.v : (v as number);
    case 'bool':
      return v ? 1 : 0;
    case 'string': {
      const s = v as string;
      const f = parseGoFloat(s);
      // ParseFloat fails on values out of range ("1e400"); cast then gives 0.
      if (f === undefined || (!Number.isFinite(f) && !/^[+-]?(inf|infinity|nan)$/i.test(s))) return 0;
      return f;
    }
    default:
      return 0;
  }
}
