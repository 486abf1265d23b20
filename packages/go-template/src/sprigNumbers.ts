/**
 * Sprig's numeric functions (numeric.go): integer arithmetic in int64 (wrapping like Go), float
 * arithmetic through shopspring/decimal as Sprig does it, ranges and rounding.
 */
import { toFloat64, toInt64Exact, parseIntBase0 } from './cast.js';
import { FuncError } from './errors.js';
import { type FuncMap, goFunc } from './functions.js';
import { sprintf } from './sprintf.js';
import { GoFloat, GoTypedInt, goInt, typedSlice } from './values.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** An int64 result; arithmetic wraps at 64 bits as Go's does. */
function int64(n: bigint): GoTypedInt {
  const x = BigInt.asIntN(64, n);
  const v = Number(x);
  return new GoTypedInt('int64', v, Number.isSafeInteger(v) ? undefined : x);
}
const big = toInt64Exact;
const float = (n: number): GoFloat => new GoFloat(n);

function divide(a: unknown, b: unknown, op: 'div' | 'mod'): GoTypedInt {
  const x = big(a);
  const y = big(b);
  if (y === 0n) throw new FuncError('runtime error: integer divide by zero');
  return int64(op === 'div' ? x / y : x % y);
}

/** A shopspring Decimal: coefficient × 10^exp. */
interface Decimal {
  c: bigint;
  e: number;
}

/** decimal.NewFromFloat: the shortest decimal that round-trips (as Go's 'g', -1 and JS's String). */
function fromFloat(f: number): Decimal {
  if (!Number.isFinite(f))
    throw new FuncError(`Cannot create a Decimal from ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  const [mant = '0', exp = '0'] = f.toExponential().split('e');
  const [ip = '0', fp = ''] = mant.split('.');
  return { c: BigInt(ip + fp), e: Number(exp) - fp.length };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.c * 10n ** BigInt(a.e - e), b.c * 10n ** BigInt(b.e - e), e];
}

const DIVISION_PRECISION = 16;

/** Decimal.Div: DivRound to 16 places, halves away from zero. */
function div(a: Decimal, b: Decimal): Decimal {
  if (b.c === 0n) throw new FuncError('decimal division by 0');
  // a/b × 10^16 as an integer quotient and remainder.
  let num = a.c;
  let den = b.c;
  const shift = a.e - b.e + DIVISION_PRECISION;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  let q = num / den;
  const r = num % den;
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);
  if (2n * abs(r) >= abs(den)) q += num < 0n !== den < 0n ? -1n : 1n;
  return { c: q, e: -DIVISION_PRECISION };
}

const toNumber = (d: Decimal): number => Number(`${d.c}e${d.e}`);

type DecimalOp = (a: Decimal, b: Decimal) => Decimal;
const addOp: DecimalOp = (a, b) => {
  const [x, y, e] = align(a, b);
  return { c: x + y, e };
};
const subOp: DecimalOp = (a, b) => {
  const [x, y, e] = align(a, b);
  return { c: x - y, e };
};
const mulOp: DecimalOp = (a, b) => ({ c: a.c * b.c, e: a.e + b.e });

function decimalOp(first: unknown, rest: unknown[], op: DecimalOp): GoFloat {
  let acc = fromFloat(toFloat64(first));
  for (const x of rest) acc = op(acc, fromFloat(toFloat64(x)));
  return float(toNumber(acc));
}

/** Below this, bounds and steps keep every value a loop reaches within JS numbers' exact range. */
const SMALL = 1n << 51n;
const small = (n: bigint): boolean => n < SMALL && n > -SMALL;

/**
 * Sprig's untilStep, over Go ints: exact beyond 2^53, where a JS number would stop counting. Small
 * ranges count in numbers, the cheaper kind.
 */
export function untilStep(start: bigint, stop: bigint, step: bigint): (number | bigint)[] {
  if (small(start) && small(stop) && small(step)) {
    return untilStepOf(Number(start), Number(stop), Number(step), 0, (a, b) => a + b);
  }
  return untilStepOf(start, stop, step, 0n, (a, b) => a + b).map(goInt);
}

function untilStepOf<T extends number | bigint>(start: T, stop: T, step: T, zero: T, add: (a: T, b: T) => T): T[] {
  const v: T[] = [];
  const next = (i: T): T => add(i, step);
  if (stop < start) {
    if (step >= zero) return v;
    for (let i = start; i > stop; i = next(i)) v.push(i);
    return v;
  }
  if (step <= zero) return v;
  for (let i = start; i < stop; i = next(i)) v.push(i);
  return v;
}

/** How many ints untilStep gives: the steps its list costs, known before it is built. */
function untilStepLength(start: bigint, stop: bigint, step: bigint): bigint {
  if (step === 0n || stop === start || stop < start !== step < 0n) return 0n;
  const span = stop > start ? stop - start : start - stop;
  const by = step > 0n ? step : -step;
  return (span + by - 1n) / by;
}

/** seq's arguments as untilStep's, or undefined where seq gives nothing. */
function seqRange(params: (number | bigint)[]): [bigint, bigint, bigint] | undefined {
  const [a = 0n, b = 0n, c = 0n] = params.map(BigInt);
  switch (params.length) {
    case 1: {
      const inc = a < 1n ? -1n : 1n;
      return [1n, a + inc, inc];
    }
    case 2: {
      const step = b < a ? -1n : 1n;
      return [a, b + step, step];
    }
    case 3: {
      if (c < a && b > 0n) return undefined;
      return [a, c + (c < a ? -1n : 1n), b];
    }
  }
  return undefined;
}

/** A []int of Go ints. */
const ints = (list: (number | bigint)[]): (number | bigint)[] => typedSlice(list, 'int');

function seq(...params: (number | bigint)[]): string {
  const range = seqRange(params);
  return range ? untilStep(...range).join(' ') : '';
}

/** Sprig's round: away from the floor once the fraction reaches roundOn (default .5). */
function round(a: unknown, places: number, ...opt: unknown[]): GoFloat {
  const roundOn = opt.length > 0 ? toFloat64(opt[0]) : 0.5;
  const pow = Math.pow(10, places);
  const digit = pow * toFloat64(a);
  const frac = digit - Math.trunc(digit);
  return float((frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow);
}

/** strconv.ParseInt(fmt.Sprint(v), 8, 64), 0 on error. */
function toDecimal(v: unknown): GoTypedInt {
  const s = sprintf('%v', [v]);
  if (!/^[+-]?[0-7]+$/.test(s)) return int64(0n);
  return int64(parseIntBase0(s.replace(/^([+-]?)/, '$10o')) ?? 0n);
}

/** time.Duration.String of a duration in nanoseconds: `1h2m3s`, `1.5s`, `250ms`, `0s`. */
export function durationString(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d;
  const frac = (v: bigint, digits: number): string => {
    const p = 10n ** BigInt(digits);
    const f = (v % p).toString().padStart(digits, '0').replace(/0+$/, '');
    return `${v / p}${f === '' ? '' : '.' + f}`;
  };
  let out: string;
  if (u < 1000n) out = `${u}ns`;
  else if (u < 1000_000n) out = frac(u, 3) + 'µs';
  else if (u < 1000_000_000n) out = frac(u, 6) + 'ms';
  else {
    out = frac(u % 60_000_000_000n, 9) + 's';
    u /= 60_000_000_000n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return (neg ? '-' : '') + out;
}

/** strconv.Atoi, its error dropped as Sprig does: a value out of range gives the nearest limit. */
function atoi(s: string): number | bigint {
  if (!/^[+-]?\d+$/.test(s)) return 0;
  const n = BigInt(s);
  return goInt(n > INT64_MAX ? INT64_MAX : n < INT64_MIN ? INT64_MIN : n);
}

/** Sprig's duration: seconds from a string or an int64 (any other type counts as 0). */
function duration(sec: unknown): string {
  let n = 0n;
  if (typeof sec === 'string') {
    if (/^[+-]?\d+$/.test(sec)) {
      const v = BigInt(sec);
      // ParseInt's range error leaves the limit, which Sprig takes.
      n = v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : v;
    }
  } else if (sec instanceof GoTypedInt && sec.type === 'int64') n = sec.exact ?? BigInt(sec.v);
  return durationString(BigInt.asIntN(64, n * 1_000_000_000n));
}

const anyV = ['any'];
const floatFn = (f: (x: number) => number) => goFunc(anyV, (v: unknown) => float(f(toFloat64(v))));

export const sprigNumberFuncs: FuncMap = {
  atoi: goFunc(['string'], atoi),
  int64: goFunc(anyV, (v: unknown) => int64(big(v))),
  float64: goFunc(anyV, (v: unknown) => float(toFloat64(v))),
  seq: {
    ...goFunc(['int'], seq, true),
    exactInts: true,
    cost: (...params: (number | bigint)[]) => {
      const range = seqRange(params);
      return range ? untilStepLength(...range) : 0;
    },
  },
  toDecimal: goFunc(anyV, toDecimal),
  until: {
    ...goFunc(['int'], (n: number | bigint) => ints(untilStep(0n, BigInt(n), n < 0 ? -1n : 1n))),
    exactInts: true,
    cost: (n: number | bigint) => (n < 0 ? -BigInt(n) : BigInt(n)),
  },
  untilStep: {
    ...goFunc(['int', 'int', 'int'], (...a: (number | bigint)[]) => {
      const [start = 0n, stop = 0n, step = 0n] = a.map(BigInt);
      return ints(untilStep(start, stop, step));
    }),
    exactInts: true,
    cost: (...a: (number | bigint)[]) => {
      const [start = 0n, stop = 0n, step = 0n] = a.map(BigInt);
      return untilStepLength(start, stop, step);
    },
  },
  add1: goFunc(anyV, (v: unknown) => int64(big(v) + 1n)),
  add: goFunc(anyV, (...v: unknown[]) => int64(v.reduce<bigint>((s, x) => s + big(x), 0n)), true),
  sub: goFunc(['any', 'any'], (a: unknown, b: unknown) => int64(big(a) - big(b))),
  div: goFunc(['any', 'any'], (a: unknown, b: unknown) => divide(a, b, 'div')),
  mod: goFunc(['any', 'any'], (a: unknown, b: unknown) => divide(a, b, 'mod')),
  mul: goFunc(
    ['any', 'any'],
    (a: unknown, ...v: unknown[]) => int64(v.reduce<bigint>((s, x) => BigInt.asIntN(64, s * big(x)), big(a))),
    true,
  ),
  add1f: goFunc(anyV, (v: unknown) => decimalOp(v, [1], addOp)),
  addf: goFunc(anyV, (...v: unknown[]) => decimalOp(new GoFloat(0), v, addOp), true),
  subf: goFunc(['any', 'any'], (a: unknown, ...v: unknown[]) => decimalOp(a, v, subOp), true),
  divf: goFunc(['any', 'any'], (a: unknown, ...v: unknown[]) => decimalOp(a, v, div), true),
  mulf: goFunc(['any', 'any'], (a: unknown, ...v: unknown[]) => decimalOp(a, v, mulOp), true),
  biggest: goFunc(
    ['any', 'any'],
    (a: unknown, ...v: unknown[]) => int64(v.map(big).reduce((m, x) => (x > m ? x : m), big(a))),
    true,
  ),
  max: goFunc(
    ['any', 'any'],
    (a: unknown, ...v: unknown[]) => int64(v.map(big).reduce((m, x) => (x > m ? x : m), big(a))),
    true,
  ),
  min: goFunc(
    ['any', 'any'],
    (a: unknown, ...v: unknown[]) => int64(v.map(big).reduce((m, x) => (x < m ? x : m), big(a))),
    true,
  ),
  maxf: goFunc(
    ['any', 'any'],
    (a: unknown, ...v: unknown[]) => float(v.map(toFloat64).reduce(goMax, toFloat64(a))),
    true,
  ),
  minf: goFunc(
    ['any', 'any'],
    (a: unknown, ...v: unknown[]) => float(v.map(toFloat64).reduce(goMin, toFloat64(a))),
    true,
  ),
  ceil: floatFn(Math.ceil),
  floor: floatFn(Math.floor),
  round: goFunc(['any', 'int', 'float64'], round, true),
  duration: goFunc(anyV, duration),
};

/** math.Max / math.Min: NaN wins, and the signed zeros order. */
function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) ? b : a;
  return a > b ? a : b;
}
function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) ? a : b;
  return a < b ? a : b;
}
