/** Go's strconv.FormatFloat for the 'e', 'E', 'f', 'g', 'G' formats (shortest and fixed precision). */

interface Digits {
  neg: boolean;
  /** Significant decimal digits without leading/trailing zeros ("" for zero). */
  d: string;
  /** Decimal point position: value = 0.d × 10^dp. */
  dp: number;
}

/** Shortest digits that round-trip (JS and Go agree on the shortest representation). */
function shortest(v: number): Digits {
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  if (a === 0) return { neg, d: '', dp: 0 };
  const s = a.toExponential(); // d.ddde±x
  const e = s.indexOf('e');
  const mant = s.slice(0, e).replace('.', '');
  const exp = Number(s.slice(e + 1));
  return { neg, d: mant.replace(/0+$/, ''), dp: exp + 1 };
}

/** Exact decimal expansion of a finite double. */
function exact(v: number): Digits {
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  if (a === 0) return { neg, d: '', dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, a);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (bexp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = bexp - 1075;
  }
  let digits: string;
  let dp: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString();
    dp = digits.length + e2;
  }
  const t = digits.replace(/0+$/, '');
  const lead = t.length - t.replace(/^0+/, '').length;
  return { neg, d: t.slice(lead), dp: dp - lead };
}

/** Rounds to nd significant digits, half to even on the exact value (Go's decimal.Round). */
function roundTo(x: Digits, nd: number): Digits {
  if (nd < 0) return { neg: x.neg, d: '', dp: 0 };
  if (nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  let up = false;
  if (next > 5) up = true;
  else if (next === 5) {
    if (nd + 1 < x.d.length) up = true;
    else up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  }
  if (nd === 0) return up ? { neg: x.neg, d: '1', dp: x.dp + 1 } : { neg: x.neg, d: '', dp: 0 };
  let d = x.d.slice(0, nd);
  let dp = x.dp;
  if (up) {
    let i = nd - 1;
    const arr = d.split('');
    while (i >= 0 && arr[i] === '9') {
      arr[i] = '0';
      i--;
    }
    if (i < 0) {
      arr.unshift('1');
      dp++;
      arr.pop();
    } else arr[i] = String.fromCharCode((arr[i] ?? '0').charCodeAt(0) + 1);
    d = arr.join('');
  }
  return { neg: x.neg, d: d.replace(/0+$/, ''), dp };
}

function digitAt(x: Digits, i: number): string {
  return i >= 0 && i < x.d.length ? (x.d[i] ?? '0') : '0';
}

function fmtE(x: Digits, prec: number, ch: string): string {
  let s = x.neg ? '-' : '';
  s += x.d.length === 0 ? '0' : digitAt(x, 0);
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(x, i);
  }
  const exp = x.d.length === 0 ? 0 : x.dp - 1;
  const ae = Math.abs(exp);
  return s + ch + (exp < 0 ? '-' : '+') + (ae < 10 ? `0${ae}` : String(ae));
}

function fmtF(x: Digits, prec: number): string {
  let s = x.neg ? '-' : '';
  if (x.dp > 0) {
    for (let i = 0; i < x.dp; i++) s += digitAt(x, i);
  } else s += '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(x, x.dp + i - 1);
  }
  return s;
}

/** strconv.FormatFloat(v, fmt, prec, 64) for fmt in e E f g G (prec -1 = shortest). */
export function formatFloat(v: number, fmt: string, prec: number): string {
  if (fmt === 'x' || fmt === 'X') return formatFloatHex(v, fmt, prec);
  if (fmt === 'b') return formatFloatBinary(v);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  let digs: Digits;
  const isShortest = prec < 0;
  if (isShortest) {
    digs = shortest(v);
    switch (fmt) {
      case 'e':
      case 'E':
        prec = Math.max(digs.d.length - 1, 0);
        break;
      case 'f':
        prec = Math.max(digs.d.length - digs.dp, 0);
        break;
      default:
        prec = digs.d.length;
    }
  } else {
    const ex = exact(v);
    switch (fmt) {
      case 'e':
      case 'E':
        digs = roundTo(ex, prec + 1);
        break;
      case 'f':
        digs = roundTo(ex, ex.dp + prec);
        break;
      default:
        if (prec === 0) prec = 1;
        digs = roundTo(ex, prec);
    }
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(digs, prec, fmt);
    case 'f':
      return fmtF(digs, prec);
    default: {
      let eprec = prec;
      const nd = digs.d.length;
      if (eprec > nd && nd >= digs.dp) eprec = nd;
      if (isShortest) eprec = 6;
      const exp = digs.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return fmtE(digs, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > digs.dp) prec = nd;
      return fmtF(digs, Math.max(prec - digs.dp, 0));
    }
  }
}

/** strconv.FormatFloat(v, 'x' | 'X', prec, 64): hexadecimal mantissa and binary exponent. */
/** The 'b' format: the mantissa and binary exponent as decimals, `4503599627370496p-52`. */
function formatFloatBinary(v: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  const bits = dv.getBigUint64(0);
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp += -1023 - 52;
  return `${bits >> 63n === 1n ? '-' : ''}${mant}p${exp >= 0 ? '+' : ''}${exp}`;
}

export function formatFloatHex(v: number, fmt: 'x' | 'X', prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  const bits = dv.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp -= 1023;
  if (mant === 0n) exp = 0;
  mant <<= 60n - 52n;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let s = (neg ? '-' : '') + '0' + fmt + String((mant >> 60n) & 1n);
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    s += '.';
    while (mant !== 0n) {
      s += hex.charAt(Number((mant >> 60n) & 15n));
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) {
      s += hex.charAt(Number((mant >> 60n) & 15n));
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  s += fmt === 'X' ? 'P' : 'p';
  s += exp < 0 ? '-' : '+';
  const ae = Math.abs(exp);
  s += ae < 10 ? `0${ae}` : String(ae);
  return s;
}
