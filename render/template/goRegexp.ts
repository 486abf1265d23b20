/**
 * Go's regexp (RE2 syntax) on JavaScript's RegExp: patterns are translated (Go's `\s`, `.`, `\A`,
 * `\z`, `\Q…\E`, `(?P<name>)`, `\S` in classes, POSIX classes, `\pN`, leading flags), Go's syntax
 * errors are raised in Go's words, and matching follows Go's rules for empty matches. RE2 has no
 * backreferences or lookaround, so translated patterns run in JavaScript's engine without them; flags
 * inside a pattern other than at its start (`a(?i)b`, `(?i:…)`) are refused as unsupported.
 */

export class RegexpSyntaxError extends Error {}

const fail = (code: string, arg: string): never => {
  throw new RegexpSyntaxError(`error parsing regexp: ${code}: \`${arg}\``);
};

/** POSIX classes as code point ranges (RE2's). */
const POSIX: Record<string, [number, number][]> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

/** Ranges as class contents; negated: their complement over all code points ([:^digit:]). */
function posixSet(ranges: [number, number][], negate: boolean): string {
  let set = ranges;
  if (negate) {
    set = [];
    let next = 0;
    for (const [lo, hi] of ranges) {
      if (lo > next) set.push([next, lo - 1]);
      next = hi + 1;
    }
    set.push([next, 0x10ffff]);
  }
  const cp = (c: number): string => `\\u{${c.toString(16)}}`;
  return set.map(([lo, hi]) => (lo === hi ? cp(lo) : `${cp(lo)}-${cp(hi)}`)).join('');
}
const SPACE = '\\t\\n\\f\\r ';
const SYNTAX = '^$\\.*+?()[]{}|/';

export interface GoRegexp {
  readonly re: RegExp;
  /** Capture group names by group number (index 0: the whole match). */
  readonly names: readonly string[];
}

/** `\p{Greek}` is a script in Go; JavaScript needs `Script=` for scripts, not for categories. */
function unicodeClass(name: string, negate: boolean): string {
  let n = name;
  let neg = negate;
  if (n.startsWith('^')) {
    neg = !neg;
    n = n.slice(1);
  }
  const prop = /^[A-Z][a-z]?$/.test(n) || n === 'Any' ? (n === 'Any' ? 'Any' : n) : `Script=${n}`;
  return `\\${neg ? 'P' : 'p'}{${prop}}`;
}

/** A literal character, escaped for a `u` pattern (in a class too). */
function literal(c: string): string {
  if (SYNTAX.includes(c) || c === '-') return '\\' + c;
  return c;
}

/**
 * A class holding Go's \S: JavaScript's own \S is wider (Unicode spaces), and a negated set cannot
 * be written inside a class, so `[x\S]` becomes "x or a non-space" and `[^x\S]` "a space but not x".
 * `open` is the class as translated without \S and its closing bracket: `[…` or `[^…`.
 */
function withNotSpace(open: string): string {
  const negated = open.startsWith('[^');
  const rest = open.slice(negated ? 2 : 1);
  if (negated) return rest === '' ? `[${SPACE}]` : `(?:(?![${rest}])[${SPACE}])`;
  return rest === '' ? `[^${SPACE}]` : `(?:[${rest}]|[^${SPACE}])`;
}

class Translator {
  private i = 0;
  private out = '';
  private depth = 0;
  readonly names: string[] = [''];
  flags = 'gu';

  constructor(private readonly src: string) {}

  translate(): string {
    const lead = /^\(\?([imsU]+)\)/.exec(this.src);
    if (lead) {
      const f = lead[1] ?? '';
      if (f.includes('U')) fail('invalid or unsupported Perl syntax', '(?U');
      this.flags += [...new Set(f)].join('');
      this.i = lead[0].length;
    }
    let atom = false;
    while (this.i < this.src.length) atom = this.step(atom);
    if (this.depth > 0) fail('missing closing )', this.src);
    return this.out;
  }

  /** Translates one syntax element; returns whether it can take a repetition operator. */
  private step(atom: boolean): boolean {
    const s = this.src;
    const c = s[this.i] ?? '';
    switch (c) {
      case '\\':
        this.out += this.escape(false);
        return true;
      case '[':
        this.out += this.charClass();
        return true;
      case '(':
        this.group();
        return false;
      case ')':
        if (this.depth === 0) fail('unexpected )', s);
        this.depth--;
        this.i++;
        this.out += ')';
        return true;
      case '|':
        this.i++;
        this.out += '|';
        return false;
      case '*':
      case '+':
      case '?':
      case '{': {
        const m = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i)) : null;
        if (c === '{' && m === null) {
          this.i++;
          this.out += '\\{';
          return true;
        }
        const op = m ? m[0] : c;
        if (m && (Number(m[1]) > 1000 || (m[3] !== undefined && m[3] !== '' && Number(m[3]) > 1000))) {
          fail('invalid repeat count', op);
        }
        if (m && m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(m[1])) fail('invalid repeat count', op);
        if (!atom) {
          const prev = this.repeatBefore();
          if (prev !== null) fail('invalid nested repetition operator', prev + op);
          fail('missing argument to repetition operator', op);
        }
        this.i += op.length;
        this.out += op;
        if (s[this.i] === '?') {
          this.i++;
          this.out += '?';
        }
        this.lastRepeat = op + (s[this.i - 1] === '?' && op !== '?' ? '?' : '');
        return false;
      }
      case '.':
        this.i++;
        this.out += this.flags.includes('s') ? '.' : '[^\\n]';
        return true;
      case '}':
        this.i++;
        this.out += '\\}';
        return true;
      default: {
        const ch = String.fromCodePoint(s.codePointAt(this.i) ?? 0);
        this.i += ch.length;
        this.out += ch;
        this.lastRepeat = null;
        return true;
      }
    }
  }

  private lastRepeat: string | null = null;

  /** The repetition operator just before the current position, for Go's nested-repetition error. */
  private repeatBefore(): string | null {
    const prev = this.lastRepeat;
    return prev !== null && this.src.slice(this.i - prev.length, this.i) === prev ? prev : null;
  }

  private group(): void {
    const s = this.src;
    const rest = s.slice(this.i);
    const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(rest);
    this.depth++;
    if (named) {
      // The name is kept here for Expand's $name; JavaScript gets a plain group, since Go allows two
      // groups of one name and JavaScript does not.
      this.names.push(named[1] ?? '');
      this.out += '(';
      this.i += named[0].length;
    } else if (rest.startsWith('(?:')) {
      this.out += '(?:';
      this.i += 3;
    } else if (rest.startsWith('(?')) {
      const end = /^\(\?[^)]*?[:)]|^\(\?.?/.exec(rest)?.[0] ?? '(?';
      fail('invalid or unsupported Perl syntax', /^\(\?[imsU-]*[:)]$/.test(end) ? end : end.slice(0, 3));
    } else {
      this.names.push('');
      this.out += '(';
      this.i++;
    }
  }

  /** An escape at this.i (a backslash); inClass: inside [...]. */
  private escape(inClass: boolean): string {
    const s = this.src;
    const c = s[this.i + 1];
    if (c === undefined) return fail('trailing backslash at end of expression', '');
    this.i += 2;
    switch (c) {
      case 'A':
        if (!inClass) return '(?<![\\s\\S])';
        break;
      case 'z':
        if (!inClass) return '(?![\\s\\S])';
        break;
      case 'Q': {
        const end = s.indexOf('\\E', this.i);
        const text = end < 0 ? s.slice(this.i) : s.slice(this.i, end);
        this.i = end < 0 ? s.length : end + 2;
        return Array.from(text, literal).join('');
      }
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return '\\' + c;
      case 'b':
      case 'B':
        if (!inClass) return '\\' + c;
        break;
      case 's':
        return inClass ? SPACE : `[${SPACE}]`;
      case 'S':
        // Inside a class, charClass takes \S apart before it gets here.
        return `[^${SPACE}]`;
      case 'p':
      case 'P': {
        const m = /^\{([^}]*)\}|^./.exec(s.slice(this.i));
        const name = m?.[1] ?? m?.[0] ?? '';
        this.i += m?.[0].length ?? 0;
        return unicodeClass(name, c === 'P');
      }
      case 'x': {
        const m = /^\{([0-9A-Fa-f]+)\}|^[0-9A-Fa-f]{2}/.exec(s.slice(this.i));
        if (!m) fail('invalid escape sequence', s.slice(this.i - 2, this.i + 2));
        this.i += m?.[0].length ?? 0;
        return `\\u{${m?.[1] ?? m?.[0] ?? ''}}`;
      }
      case 'a':
        return '\\x07';
      case 'f':
      case 't':
      case 'n':
      case 'r':
      case 'v':
        return '\\' + c;
      case '0': {
        const m = /^[0-7]{0,2}/.exec(s.slice(this.i))?.[0] ?? '';
        this.i += m.length;
        return `\\u{${parseInt('0' + m, 8).toString(16)}}`;
      }
    }
    if (c < '\x80' && !/[0-9A-Za-z]/.test(c)) return literal(c);
    return fail('invalid escape sequence', '\\' + c);
  }

  private charClass(): string {
    const s = this.src;
    const start = this.i;
    this.i++;
    let out = '[';
    if (s[this.i] === '^') {
      out += '^';
      this.i++;
    }
    let first = true;
    let notSpace = false;
    for (;;) {
      const c = s[this.i];
      if (c === undefined) return fail('missing closing ]', s.slice(start));
      if (c === ']' && !first) break;
      first = false;
      if (c === '[' && s[this.i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(s.slice(this.i));
        const set = m ? POSIX[m[2] ?? ''] : undefined;
        if (m && set === undefined) fail('invalid character class range', m[0]);
        if (m && set !== undefined) {
          out += posixSet(set, m[1] === '^');
          this.i += m[0].length;
          continue;
        }
      }
      if (c === '\\' && s[this.i + 1] === 'S') {
        notSpace = true;
        this.i += 2;
        continue;
      }
      if (c === '\\') {
        out += this.escape(true);
        continue;
      }
      const ch = String.fromCodePoint(s.codePointAt(this.i) ?? 0);
      this.i += ch.length;
      out += ch === '-' && s[this.i] !== ']' && out.length > 1 && !out.endsWith('[^') ? '-' : literal(ch);
    }
    this.i++;
    return notSpace ? withNotSpace(out) : out + ']';
  }
}

const cache = new Map<string, GoRegexp>();

/** regexp.Compile; throws RegexpSyntaxError with Go's message for what Go rejects. */
export function compileGo(pattern: string): GoRegexp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const t = new Translator(pattern);
  const source = t.translate();
  let re: RegExp;
  try {
    re = new RegExp(source, t.flags);
  } catch {
    throw new RegexpSyntaxError(`error parsing regexp: invalid or unsupported syntax: \`${pattern}\``);
  }
  const compiled = { re, names: t.names };
  if (cache.size > 256) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

/** Width of the character at i (a surrogate pair counts as one rune). */
const runeWidth = (s: string, i: number): number => ((s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1);

function execAt(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(s);
}

/** FindAllStringSubmatchIndex's walk: Go skips an empty match right after the previous match. */
export function findAll(g: GoRegexp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let prevEnd = -1;
  for (let pos = 0; (n < 0 || out.length < n) && pos <= s.length;) {
    const m = execAt(g.re, s, pos);
    if (m === null) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos) {
      if (m.index === prevEnd) accept = false;
      pos += pos < s.length ? runeWidth(s, pos) : 1;
    } else pos = end;
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, m: RegExpExecArray, names: readonly string[]): string {
  return template.replace(
    /\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g,
    (whole, _g, braced?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = braced ?? bare ?? '';
      if (/^\d+$/.test(name)) {
        const i = Number(name);
        return i < m.length ? (m[i] ?? '') : '';
      }
      const i = names.indexOf(name);
      return i > 0 ? (m[i] ?? '') : '';
    },
  );
}

/** ReplaceAllString (literal: ReplaceAllLiteralString). */
export function replaceAll(g: GoRegexp, s: string, repl: string, literalRepl: boolean): string {
  let out = '';
  let lastEnd = 0;
  for (let pos = 0; pos <= s.length;) {
    const m = execAt(g.re, s, pos);
    if (m === null) break;
    const end = m.index + m[0].length;
    out += s.slice(lastEnd, m.index);
    if (end > lastEnd || m.index === 0) out += literalRepl ? repl : expand(repl, m, g.names);
    lastEnd = end;
    const width = pos < s.length ? runeWidth(s, pos) : 0;
    if (pos + width > end) pos += width;
    else if (pos + 1 > end) pos++;
    else pos = end;
  }
  return out + s.slice(lastEnd);
}

/** Regexp.Split */
export function split(g: GoRegexp, pattern: string, s: string, n: number): string[] {
  if (n === 0) return [];
  if (pattern.length > 0 && s.length === 0) return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of findAll(g, s, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** regexp.QuoteMeta */
export const quoteMeta = (s: string): string => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
