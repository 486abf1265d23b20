/** Go's fmt package (Sprint, Sprintln, Sprintf) over the value model of values.ts. */
import { canBackquote, goQuote, goQuoteASCII, goQuoteRune, isPrint } from './quote.js';
import { formatFloat } from './strconv.js';
import { utf8Encode } from './utf8.js';
import { GoComplex, GoFloat, GoTypedInt, elemTypeOf, isGoMap, kindOf, mapGet, sortedKeys, typeName } from './values.js';

class Printer {
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

  badVerb(verb: string, arg: unknown, hasArg: boolean): void {
    this.buf += '%!' + verb + '(';
    if (hasArg && arg !== undefined && arg !== null) {
      this.buf += typeName(arg) + '=';
      this.printArg(arg, 'v', 1);
    } else this.buf += '<nil>';
    this.buf += ')';
  }

  /** printArg / printValue. depth > 0 means inside a container (nil prints as <nil>). */
  printArg(arg: unknown, verb: string, depth = 0): void {
    if (arg === undefined || arg === null) {
      if (depth > 0 || verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, arg, false);
      return;
    }
    if (verb === 'T') {
      this.pad(this.truncate(typeName(arg)));
      return;
    }
    switch (kindOf(arg)) {
      case 'string': {
        const s = arg as string;
        switch (verb) {
          case 'v':
            if (this.sharpV) this.fmtQ(s);
            else this.pad(this.truncate(s));
            return;
          case 's':
            this.pad(this.truncate(s));
            return;
          case 'x':
          case 'X':
            this.fmtSx(s, verb === 'X');
            return;
          case 'q':
            this.fmtQ(s);
            return;
        }
        break;
      }
      case 'bool':
        if (verb === 't' || verb === 'v') {
          this.pad(arg === true ? 'true' : 'false');
          return;
        }
        break;
      case 'int':
      case 'uint': {
        if (typeof arg === 'bigint' && 'vdbxXoO'.includes(verb)) {
          const base = verb === 'b' ? 2 : verb === 'x' || verb === 'X' ? 16 : verb === 'o' || verb === 'O' ? 8 : 10;
          this.fmtInteger(arg, base, verb, verb === 'X');
          return;
        }
        const v = arg instanceof GoTypedInt ? arg.v : Number(arg);
        switch (verb) {
          case 'v':
          case 'd':
            this.fmtInteger(v, 10, verb, false);
            return;
          case 'b':
            this.fmtInteger(v, 2, verb, false);
            return;
          case 'o':
          case 'O':
            this.fmtInteger(v, 8, verb, false);
            return;
          case 'x':
          case 'X':
            this.fmtInteger(v, 16, verb, verb === 'X');
            return;
          case 'c':
            this.pad(String.fromCodePoint(validRune(v)));
            return;
          case 'q':
            this.pad(goQuoteRune(validRune(v), this.plus));
            return;
          case 'U': {
            let s = 'U+' + v.toString(16).toUpperCase().padStart(4, '0');
            if (this.precPresent && this.prec > 4) s = 'U+' + v.toString(16).toUpperCase().padStart(this.prec, '0');
            if (this.sharp && v <= 0x10ffff && isPrint(v)) s += " '" + String.fromCodePoint(v) + "'";
            this.padNoZero(s);
            return;
          }
        }
        break;
      }
      case 'float': {
        const v = arg instanceof GoFloat ? arg.v : (arg as number);
        switch (verb) {
          case 'v':
            this.fmtFloat(v, 'g', -1);
            return;
          case 'g':
          case 'G':
          case 'x':
          case 'X':
            this.fmtFloat(v, verb, -1);
            return;
          case 'f':
          case 'F':
          case 'e':
          case 'E':
            this.fmtFloat(v, verb, 6);
            return;
        }
        break;
      }
      case 'complex': {
        const c = arg as GoComplex;
        if ('vgGfFeE'.includes(verb)) {
          const oldPlus = this.plus;
          this.buf += '(';
          this.printArg(new GoFloat(c.re), verb, depth);
          this.plus = true;
          this.printArg(new GoFloat(c.im), verb, depth);
          this.buf += 'i)';
          this.plus = oldPlus;
          return;
        }
        break;
      }
      case 'slice': {
        const arr = arg as unknown[];
        if (this.sharpV) {
          this.buf += typeName(arr) + '{';
          arr.forEach((e, i) => {
            if (i > 0) this.buf += ', ';
            this.printElem(e, verb, elemTypeOf(arr));
          });
          this.buf += '}';
          return;
        }
        this.buf += '[';
        arr.forEach((e, i) => {
          if (i > 0) this.buf += ' ';
          this.printArg(e, verb, depth + 1);
        });
        this.buf += ']';
        return;
      }
      case 'map': {
        const m = arg;
        const keys = sortedKeys(m);
        if (this.sharpV) {
          this.buf += typeName(m) + '{';
          keys.forEach((k, i) => {
            if (i > 0) this.buf += ', ';
            this.printArg(k, verb, depth + 1);
            this.buf += ':';
            this.printElem(mapGet(m, k), verb, elemTypeOf(m));
          });
          this.buf += '}';
          return;
        }
        this.buf += 'map[';
        keys.forEach((k, i) => {
          if (i > 0) this.buf += ' ';
          this.printArg(k, verb, depth + 1);
          this.buf += ':';
          this.printArg(mapGet(m, k), verb, depth + 1);
        });
        this.buf += ']';
        return;
      }
      case 'func':
        if (verb === 'v' || verb === 'p') {
          this.pad('0x0');
          return;
        }
        break;
    }
    this.badVerb(verb, arg, true);
  }

  /** %#v element of a container whose static element type is elemType. */
  private printElem(e: unknown, verb: string, elemType: string): void {
    if ((e === null || e === undefined) && elemType === 'interface {}') {
      this.buf += 'interface {}(nil)';
      return;
    }
    this.printArg(e, verb, 1);
  }
}

function validRune(v: number): number {
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

/** fmt.Sprint */
export function sprint(args: unknown[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, i) => {
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && !prevString) p.buf += ' ';
    p.printArg(arg, 'v');
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln */
export function sprintln(args: unknown[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0) p.buf += ' ';
    p.printArg(arg, 'v');
  });
  return p.buf + '\n';
}

/** %v of one value (what an action prints). */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  const p = new Printer();
  p.printArg(v, 'v');
  return p.buf;
}

function parsenum(s: string, start: number): [number, boolean, number] {
  let i = start;
  let n = 0;
  let ok = false;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
    if (n > 1e6) return [0, false, s.length];
    n = n * 10 + (s.charCodeAt(i) - 48);
    ok = true;
    i++;
  }
  return [n, ok, i];
}

function intFromArg(a: unknown[], argNum: number): [number, boolean, number] {
  let num = 0;
  let isInt = false;
  let newArgNum = argNum;
  if (argNum < a.length) {
    const v = a[argNum];
    const k = kindOf(v);
    if (k === 'int' || k === 'uint') {
      num = v instanceof GoTypedInt ? v.v : Number(v);
      isInt = true;
      if (num > 1e6 || num < -1e6) {
        num = 0;
        isInt = false;
      }
    }
    newArgNum = argNum + 1;
  }
  return [num, isInt, newArgNum];
}

/** fmt.Sprintf */
export function sprintf(format: string, a: unknown[]): string {
  const p = new Printer();
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false as boolean;
  let goodArgNum = true;

  const argNumber = (argNum: number, i: number, numArgs: number): [number, number, boolean] => {
    if (i >= end || format[i] !== '[') return [argNum, i, false];
    reordered = true;
    for (let j = i + 1; j < end; j++) {
      if (format[j] === ']') {
        const [width, ok, newi] = parsenum(format, i + 1);
        if (!ok || newi !== j) {
          goodArgNum = false;
          return [argNum, j + 1, true];
        }
        const index = width - 1;
        if (index >= 0 && index < numArgs) return [index, j + 1, true];
        goodArgNum = false;
        return [argNum, j + 1, true];
      }
    }
    goodArgNum = false;
    return [argNum, i + 1, false];
  };

  let i = 0;
  formatLoop: while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== '%') i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    p.clearflags();
    simple: for (; i < end; i++) {
      const c = format[i] as string;
      switch (c) {
        case '#':
          p.sharp = true;
          break;
        case '0':
          p.zero = true;
          break;
        case '+':
          p.plus = true;
          break;
        case '-':
          p.minus = true;
          break;
        case ' ':
          p.space = true;
          break;
        default:
          if (c >= 'a' && c <= 'z' && argNum < a.length) {
            if (c === 'v') {
              p.sharpV = p.sharp;
              p.sharp = false;
              p.plusV = p.plus;
              p.plus = false;
            }
            p.printArg(a[argNum], c);
            argNum++;
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }
    [argNum, i, afterIndex] = argNumber(argNum, i, a.length);
    if (i < end && format[i] === '*') {
      i++;
      [p.wid, p.widPresent, argNum] = intFromArg(a, argNum);
      if (!p.widPresent) p.buf += '%!(BADWIDTH)';
      if (p.wid < 0) {
        p.wid = -p.wid;
        p.minus = true;
        p.zero = false;
      }
      afterIndex = false;
    } else {
      [p.wid, p.widPresent, i] = parsenum(format, i);
      if (afterIndex && p.widPresent) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      [argNum, i, afterIndex] = argNumber(argNum, i, a.length);
      if (i < end && format[i] === '*') {
        i++;
        [p.prec, p.precPresent, argNum] = intFromArg(a, argNum);
        if (p.prec < 0) {
          p.prec = 0;
          p.precPresent = false;
        }
        if (!p.precPresent) p.buf += '%!(BADPREC)';
        afterIndex = false;
      } else {
        [p.prec, p.precPresent, i] = parsenum(format, i);
        if (!p.precPresent) {
          p.prec = 0;
          p.precPresent = true;
        }
      }
    }
    if (!afterIndex) [argNum, i, afterIndex] = argNumber(argNum, i, a.length);
    if (i >= end) {
      p.buf += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') p.buf += '%';
    else if (!goodArgNum) p.buf += '%!' + verb + '(BADINDEX)';
    else if (argNum >= a.length) p.buf += '%!' + verb + '(MISSING)';
    else {
      if (verb === 'v') {
        p.sharpV = p.sharp;
        p.sharp = false;
        p.plusV = p.plus;
        p.plus = false;
      }
      p.printArg(a[argNum], verb);
      argNum++;
    }
  }
  if (!reordered && argNum < a.length) {
    p.clearflags();
    p.buf += '%!(EXTRA ';
    a.slice(argNum).forEach((arg, k) => {
      if (k > 0) p.buf += ', ';
      if (arg === null || arg === undefined) p.buf += '<nil>';
      else {
        p.buf += typeName(arg) + '=';
        p.printArg(arg, 'v');
      }
    });
    p.buf += ')';
  }
  return p.buf;
}

export { isGoMap };
