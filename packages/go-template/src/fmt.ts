/** Go's fmt verbs over the value model: printArg (printValue), Sprint, Sprintln, and %v of one value. */
import { Printer, validRune } from './printer.js';
import { goQuoteRune, isPrint } from './quote.js';
import {
  GoComplex,
  GoFloat,
  GoStruct,
  GoTypedInt,
  elemTypeOf,
  kindOf,
  mapGet,
  sortedKeys,
  typeName,
} from './values.js';

function badVerb(p: Printer, verb: string, arg: unknown, hasArg: boolean): void {
  p.buf += '%!' + verb + '(';
  if (hasArg && arg !== undefined && arg !== null) {
    p.buf += typeName(arg) + '=';
    printArg(p, arg, 'v', 1);
  } else p.buf += '<nil>';
  p.buf += ')';
}

/** printArg / printValue. depth > 0 means inside a container (nil prints as <nil>). */

export function printArg(p: Printer, arg: unknown, verb: string, depth = 0): void {
  if (arg === undefined || arg === null) {
    if (depth > 0 || verb === 'T' || verb === 'v') p.pad('<nil>');
    else badVerb(p, verb, arg, false);
    return;
  }
  if (verb === 'T') {
    p.pad(p.truncate(typeName(arg)));
    return;
  }
  // fmt's handleMethods: a Stringer prints its String() for the string verbs (not for %#v).
  const stringer = arg instanceof GoStruct && !p.sharpV ? arg.methods.get('String') : undefined;
  if (stringer !== undefined && 'vsxXq'.includes(verb)) {
    printArg(p, (stringer.fn as () => string)(), verb, depth);
    return;
  }
  switch (kindOf(arg)) {
    case 'string': {
      const s = arg as string;
      switch (verb) {
        case 'v':
          if (p.sharpV) p.fmtQ(s);
          else p.pad(p.truncate(s));
          return;
        case 's':
          p.pad(p.truncate(s));
          return;
        case 'x':
        case 'X':
          p.fmtSx(s, verb === 'X');
          return;
        case 'q':
          p.fmtQ(s);
          return;
      }
      break;
    }
    case 'bool':
      if (verb === 't' || verb === 'v') {
        p.pad(arg === true ? 'true' : 'false');
        return;
      }
      break;
    case 'int':
    case 'uint': {
      const exact = typeof arg === 'bigint' ? arg : arg instanceof GoTypedInt ? arg.exact : undefined;
      if (exact !== undefined && 'vdbxXoO'.includes(verb)) {
        const base = verb === 'b' ? 2 : verb === 'x' || verb === 'X' ? 16 : verb === 'o' || verb === 'O' ? 8 : 10;
        p.fmtInteger(exact, base, verb, verb === 'X');
        return;
      }
      const v = arg instanceof GoTypedInt ? arg.v : Number(arg);
      switch (verb) {
        case 'v':
        case 'd':
          p.fmtInteger(v, 10, verb, false);
          return;
        case 'b':
          p.fmtInteger(v, 2, verb, false);
          return;
        case 'o':
        case 'O':
          p.fmtInteger(v, 8, verb, false);
          return;
        case 'x':
        case 'X':
          p.fmtInteger(v, 16, verb, verb === 'X');
          return;
        case 'c':
          p.pad(String.fromCodePoint(validRune(v)));
          return;
        case 'q':
          p.pad(goQuoteRune(validRune(v), p.plus));
          return;
        case 'U': {
          // Go formats the value as a uint64: exact beyond 2^53, and a negative one wraps.
          const u = BigInt.asUintN(64, exact ?? BigInt(v));
          const hex = u.toString(16).toUpperCase();
          let s = 'U+' + hex.padStart(p.precPresent && p.prec > 4 ? p.prec : 4, '0');
          if (p.sharp && u <= 0x10ffffn && isPrint(v)) s += " '" + String.fromCodePoint(v) + "'";
          p.padNoZero(s);
          return;
        }
      }
      break;
    }
    case 'float': {
      const v = arg instanceof GoFloat ? arg.v : (arg as number);
      switch (verb) {
        case 'v':
          p.fmtFloat(v, 'g', -1);
          return;
        case 'b':
        case 'g':
        case 'G':
        case 'x':
        case 'X':
          p.fmtFloat(v, verb, -1);
          return;
        case 'f':
        case 'F':
        case 'e':
        case 'E':
          p.fmtFloat(v, verb, 6);
          return;
      }
      break;
    }
    case 'complex': {
      const c = arg as GoComplex;
      if ('vgGfFeE'.includes(verb)) {
        const oldPlus = p.plus;
        p.buf += '(';
        printArg(p, new GoFloat(c.re), verb, depth);
        p.plus = true;
        printArg(p, new GoFloat(c.im), verb, depth);
        p.buf += 'i)';
        p.plus = oldPlus;
        return;
      }
      break;
    }
    case 'slice': {
      const arr = arg as unknown[];
      if (p.sharpV) {
        p.buf += typeName(arr) + '{';
        arr.forEach((e, i) => {
          if (i > 0) p.buf += ', ';
          printElem(p, e, verb, elemTypeOf(arr));
        });
        p.buf += '}';
        return;
      }
      p.buf += '[';
      arr.forEach((e, i) => {
        if (i > 0) p.buf += ' ';
        printArg(p, e, verb, depth + 1);
      });
      p.buf += ']';
      return;
    }
    case 'map': {
      const m = arg;
      const keys = sortedKeys(m);
      if (p.sharpV) {
        p.buf += typeName(m) + '{';
        keys.forEach((k, i) => {
          if (i > 0) p.buf += ', ';
          printArg(p, k, verb, depth + 1);
          p.buf += ':';
          printElem(p, mapGet(m, k), verb, elemTypeOf(m));
        });
        p.buf += '}';
        return;
      }
      p.buf += 'map[';
      keys.forEach((k, i) => {
        if (i > 0) p.buf += ' ';
        printArg(p, k, verb, depth + 1);
        p.buf += ':';
        printArg(p, mapGet(m, k), verb, depth + 1);
      });
      p.buf += ']';
      return;
    }
    case 'struct': {
      // {a b}; %+v names the fields: {Name:a Spec:b}.
      p.buf += '{';
      [...(arg as GoStruct).fields].forEach(([name, value], i) => {
        if (i > 0) p.buf += ' ';
        if (p.plusV || p.sharpV) p.buf += name + ':';
        printArg(p, value, verb, depth + 1);
      });
      p.buf += '}';
      return;
    }
    case 'func':
      if (verb === 'v' || verb === 'p') {
        p.pad('0x0');
        return;
      }
      break;
  }
  badVerb(p, verb, arg, true);
}

/** %#v element of a container whose static element type is elemType. */
function printElem(p: Printer, e: unknown, verb: string, elemType: string): void {
  if ((e === null || e === undefined) && elemType === 'interface {}') {
    p.buf += 'interface {}(nil)';
    return;
  }
  printArg(p, e, verb, 1);
}

/** fmt.Sprint */
export function sprint(args: unknown[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, i) => {
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && !prevString) p.buf += ' ';
    printArg(p, arg, 'v');
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln */
export function sprintln(args: unknown[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0) p.buf += ' ';
    printArg(p, arg, 'v');
  });
  return p.buf + '\n';
}

/** %v of one value (what an action prints). */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  const p = new Printer();
  printArg(p, v, 'v');
  return p.buf;
}
