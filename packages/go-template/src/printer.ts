/** The formatting state of Go's fmt (flags, width, precision) and its padding and number primitives. */
import { canBackquote, goQuote, goQuoteASCII } from './quote.js';
import { formatFloat } from './strconv.js';
import { utf8Encode } from './utf8.js';

export class Printer {
  buf = '';
  plus = false;
  minus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  widPresent = false;
  prec = 0;
  precPresent = false;

  clearflags(): void {
    this.plus = this.minus = this.sharp = this.space = this.zero = false;
    this.plusV = this.sharpV = false;
    this.wid = this.prec = 0;
    this.widPresent = this.precPresent = false;
  }

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero && !this.minus ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  /** Pads with spaces even if the zero flag is set (numbers handle zeros themselves). */
  padNoZero(s: string): void {
    const z = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = z;
  }

  truncate(s: string): string {
    if (this.precPresent) {
      const runes = Array.from(s);
      if (runes.length > this.prec) return runes.slice(0, this.prec).join('');
    }
    return s;
  }

  fmtInteger(v: number | bigint, base: number, verb: string, upper: boolean): void {
    const negative = v < 0;
    let digits = (typeof v === 'bigint' ? (negative ? -v : v) : Math.abs(v)).toString(base);
    if (upper) digits = digits.toUpperCase();
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && v === 0) {
        const z = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = z;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    if (this.sharp) {
      if (base === 2) digits = '0b' + digits;
      else if (base === 8) {
        if (!digits.startsWith('0')) digits = '0' + digits;
      } else if (base === 16) digits = (upper ? '0X' : '0x') + digits;
    }
    if (verb === 'O') digits = '0o' + digits;
    if (negative) digits = '-' + digits;
    else if (this.plus) digits = '+' + digits;
    else if (this.space) digits = ' ' + digits;
    this.padNoZero(digits);
  }

  fmtFloat(v: number, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec;
    const fmtCh = verb === 'F' ? 'f' : verb;
    let num = formatFloat(v, fmtCh, prec);
    if (num.startsWith('-') || num.startsWith('+')) {
      // already signed
    } else num = '+' + num;
    if (this.space && num.startsWith('+') && !this.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.padNoZero(num);
      return;
    }
    if (this.sharp && verb !== 'b') num = sharpFloat(num, verb, prec);
    if (this.plus || !num.startsWith('+')) {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.buf += num.charAt(0);
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  fmtSx(s: string, upper: boolean): void {
    const bytes = utf8Encode(s);
    let length = bytes.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) width += 2;
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    const x = upper ? '0X' : '0x';
    let out = this.sharp ? x : '';
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' ';
        if (this.sharp) out += x;
      }
      const h = (bytes[i] ?? 0).toString(16).padStart(2, '0');
      out += upper ? h.toUpperCase() : h;
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.sharp && canBackquote(s)) this.pad('`' + s + '`');
    else if (this.plus) this.pad(goQuoteASCII(s));
    else this.pad(goQuote(s));
  }
}

export function validRune(v: number): number {
  return v > 0x10ffff || v < 0 || (v >= 0xd800 && v <= 0xdfff) ? 0xfffd : v;
}

function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** The '#' flag for floats (Go's fmt.fmtFloat): keep a decimal point, and trailing zeros for %g/%x. */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec;
  let tail = '';
  let body = num;
  let hasDot = false;
  let sawNonzero = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '.') hasDot = true;
    else if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = body.slice(i);
      body = body.slice(0, i);
      break;
    } else {
      if (c !== '0') sawNonzero = true;
      if (sawNonzero) digits--;
    }
  }
  if (!hasDot) {
    if (body.length === 2 && body[1] === '0') digits--;
    body += '.';
  }
  while (digits > 0) {
    body += '0';
    digits--;
  }
  return body + tail;
}
