/** Go's fmt.Sprintf: verbs, flags, width, precision, argument indexes and its %!verb(…) diagnostics. */
import { printArg } from './fmt.js';
import { Printer } from './printer.js';
import { GoTypedInt, kindOf, typeName } from './values.js';

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
            printArg(p, a[argNum], c);
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
      printArg(p, a[argNum], verb);
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
        printArg(p, arg, 'v');
      }
    });
    p.buf += ')';
  }
  return p.buf;
}
