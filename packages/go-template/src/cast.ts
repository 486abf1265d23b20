/** spf13/cast's conversions, as Sprig's numeric functions apply them to any value. */
import { parseGoFloat } from './number.js';
import { goInt, intValue, kindOf, numValue } from './values.js';

/**
 * cast.ToInt64, exactly: integers keep every digit (wrapping to 64 bits as Go's conversion does),
 * floats truncate (out of range or NaN: Go's conversion on amd64 gives the minimum), strings parse
 * with base prefixes ("12.000" as 12), bools are 0/1, anything else 0.
 */
export function toInt64Exact(v: unknown): bigint {
  switch (kindOf(v)) {
    case 'int':
    case 'uint':
      return BigInt.asIntN(64, intValue(v));
    case 'float': {
      const f = numValue(v);
      return f >= -9223372036854775808 && f < 9223372036854775808 ? BigInt(Math.trunc(f)) : -(1n << 63n);
    }
    case 'bool':
      return v ? 1n : 0n;
    case 'string': {
      const s = v as string;
      // cast's trimZeroDecimal: "12.000" -> "12"
      return parseIntBase0(/^(.*)\.0+$/.exec(s)?.[1] ?? s) ?? 0n;
    }
    default:
      return 0n;
  }
}

/** cast.ToInt (Go's int has 64 bits): a number while exact, a bigint beyond 2^53. */
export const toGoInt = (v: unknown): number | bigint => goInt(toInt64Exact(v));

/** cast.ToInt as a JS number, for indexes and counts. */
export const toInt = (v: unknown): number => Number(toInt64Exact(v));

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
      return numValue(v);
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
