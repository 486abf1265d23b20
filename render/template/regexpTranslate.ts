/**
 * Translation of Go's RE2 syntax into a JavaScript pattern (for a `u` RegExp without other flags):
 * Go's syntax errors in Go's words, and Go's flags `i m s U` applied while translating, since
 * JavaScript cannot change flags inside a pattern (classes and case folding: `regexpClasses.ts`).
 */
import { type CharSet, addPerl, addPosix, addRange, addUnicode, classText, emptySet } from './regexpClasses.js';

export class RegexpSyntaxError extends Error {}

const fail = (code: string, arg: string): never => {
  throw new RegexpSyntaxError(`error parsing regexp: ${code}: \`${arg}\``);
};

/** The flags in force: i (fold case), m (`^ $` at lines), s (`.` matches `\n`), U (ungreedy). */
interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const SYNTAX = '^$\\.*+?()[]{}|/';

/** A rune as pattern text outside a class. */
function literalText(r: number): string {
  const c = String.fromCodePoint(r);
  return SYNTAX.includes(c) ? '\\' + c : c;
}

export class Translator {
  private i = 0;
  private out = '';
  private flags: Flags = { i: false, m: false, s: false, U: false };
  /** The flags each open group restores at its `)` (Go scopes flags to the enclosing group). */
  private readonly saved: Flags[] = [];
  private lastRepeat: string | null = null;
  readonly names: string[] = [''];

  constructor(private readonly src: string) {}

  translate(): string {
    let atom = false;
    while (this.i < this.src.length) atom = this.step(atom);
    if (this.saved.length > 0) fail('missing closing )', this.src);
    return this.out;
  }

  /** Translates one syntax element; returns whether it can take a repetition operator. */
  private step(atom: boolean): boolean {
    const s = this.src;
    const c = s[this.i] ?? '';
    switch (c) {
      case '\\':
        this.out += this.escape();
        return true;
      case '[':
        this.out += this.charClass();
        return true;
      case '(':
        this.group();
        return false;
      case ')': {
        const outer = this.saved.pop();
        if (outer === undefined) return fail('unexpected )', s);
        this.flags = outer;
        this.i++;
        this.out += ')';
        return true;
      }
      case '|':
        this.i++;
        this.out += '|';
        return false;
      case '*':
      case '+':
      case '?':
      case '{':
        return this.repeat(c, atom);
      case '.':
        this.i++;
        this.out += this.flags.s ? '[\\s\\S]' : '[^\\n]';
        return true;
      case '^':
      case '$':
        this.i++;
        // Go's multi-line anchors see only `\n` as a line end; JavaScript's `m` flag sees `\r` too.
        if (this.flags.m) this.out += c === '^' ? '(?<![^\\n])' : '(?![^\\n])';
        else this.out += c;
        return true;
      case '}':
        this.i++;
        this.out += '\\}';
        return true;
      default: {
        const r = s.codePointAt(this.i) ?? 0;
        this.i += String.fromCodePoint(r).length;
        this.out += this.literal(r);
        this.lastRepeat = null;
        return true;
      }
    }
  }

  /** `* + ? {n,m}` and their `?` forms; under (?U) the `?` form is the greedy one. */
  private repeat(c: string, atom: boolean): boolean {
    const s = this.src;
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
    const lazy = s[this.i] === '?';
    if (lazy) this.i++;
    this.out += op + (lazy !== this.flags.U ? '?' : '');
    this.lastRepeat = op + (lazy && op !== '?' ? '?' : '');
    return false;
  }

  /** The repetition operator just before the current position, for Go's nested-repetition error. */
  private repeatBefore(): string | null {
    const prev = this.lastRepeat;
    return prev !== null && this.src.slice(this.i - prev.length, this.i) === prev ? prev : null;
  }

  /** A literal rune; under (?i) the class of its case orbit. */
  private literal(r: number): string {
    if (!this.flags.i) return literalText(r);
    const set = emptySet();
    addRange(set, r, r, true);
    return set.ranges.length > 1 ? classText(set, false) : literalText(r);
  }

  private group(): void {
    const s = this.src;
    const rest = s.slice(this.i);
    if (!rest.startsWith('(?')) {
      this.open('');
      this.i++;
      return;
    }
    const named = /^\(\?P?</.exec(rest);
    if (named && rest.length > named[0].length) {
      const end = rest.indexOf('>');
      if (end < 0) fail('invalid named capture', rest);
      const name = rest.slice(named[0].length, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) fail('invalid named capture', rest.slice(0, end + 1));
      // The name is kept for Expand's $name; JavaScript gets a plain group, since Go allows two
      // groups of one name and JavaScript does not.
      this.open(name);
      this.i += end + 1;
      return;
    }
    this.perlFlags();
  }

  /** Opens a group (a capturing one unless name is undefined), saving the flags its `)` restores. */
  private open(name: string | undefined): void {
    this.saved.push({ ...this.flags });
    if (name === undefined) this.out += '(?:';
    else {
      this.names.push(name);
      this.out += '(';
    }
  }

  /** `(?flags)` (for the rest of the group) and `(?flags:re)`, read as Go's parsePerlFlags does. */
  private perlFlags(): void {
    const s = this.src;
    const flags = { ...this.flags };
    let j = this.i + 2;
    let negate = false;
    let sawFlag = false;
    while (j < s.length) {
      const c = String.fromCodePoint(s.codePointAt(j) ?? 0);
      j += c.length;
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        flags[c] = !negate;
        sawFlag = true;
      } else if (c === '-' && !negate) {
        negate = true;
        sawFlag = false;
      } else if ((c === ':' || c === ')') && (sawFlag || !negate)) {
        if (c === ':') this.open(undefined);
        this.flags = flags;
        this.i = j;
        return;
      } else break;
    }
    fail('invalid or unsupported Perl syntax', s.slice(this.i, j));
  }

  /** An escape outside a class, at this.i (a backslash). */
  private escape(): string {
    const s = this.src;
    const c = s[this.i + 1];
    if (c === undefined) return fail('trailing backslash at end of expression', '');
    switch (c) {
      case 'A':
        this.i += 2;
        return '(?<![\\s\\S])';
      case 'z':
        this.i += 2;
        return '(?![\\s\\S])';
      case 'b':
      case 'B':
        this.i += 2;
        return '\\' + c;
      case 'Q': {
        const end = s.indexOf('\\E', this.i + 2);
        const text = end < 0 ? s.slice(this.i + 2) : s.slice(this.i + 2, end);
        this.i = end < 0 ? s.length : end + 2;
        return Array.from(text, (ch) => this.literal(ch.codePointAt(0) ?? 0)).join('');
      }
    }
    if ('dDsSwWpP'.includes(c)) {
      const set = emptySet();
      this.classEscape(set);
      return classText(set, false);
    }
    return this.literal(this.runeEscape());
  }

  /** `\d \D \s \S \w \W \pX \p{Name} \PX \P{Name}` at this.i, added to set. */
  private classEscape(set: CharSet): void {
    const s = this.src;
    const c = s[this.i + 1] ?? '';
    this.i += 2;
    if (c !== 'p' && c !== 'P') {
      addPerl(set, c, this.flags.i);
      return;
    }
    const start = this.i - 2;
    const m = /^\{([^}]*)\}|^[^{]/su.exec(s.slice(this.i));
    if (m === null) return fail('invalid character class range', s.slice(start));
    this.i += m[0].length;
    if (!addUnicode(set, m[1] ?? m[0], c === 'P', this.flags.i)) {
      fail('invalid character class range', s.slice(start, this.i));
    }
  }

  /** An escape standing for one rune (Go's parseEscape), at this.i. */
  private runeEscape(): number {
    const s = this.src;
    const c = s[this.i + 1] ?? '';
    this.i += 2;
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (simple[c] !== undefined) return simple[c];
    if (c === 'x') {
      const m = /^\{([0-9A-Fa-f]+)\}|^[0-9A-Fa-f]{2}/.exec(s.slice(this.i));
      const r = parseInt(m?.[1] ?? m?.[0] ?? '', 16);
      if (!m || r > 0x10ffff) fail('invalid escape sequence', s.slice(this.i - 2, this.i + 2));
      this.i += m?.[0].length ?? 0;
      return r;
    }
    // Octal: \0 with up to two more digits; \1-\7 only with a second digit (alone, a backreference).
    if (c >= '0' && c <= '7' && (c === '0' || /[0-7]/.test(s[this.i] ?? ''))) {
      const digits = c + (/^[0-7]{0,2}/.exec(s.slice(this.i))?.[0] ?? '');
      this.i += digits.length - 1;
      return parseInt(digits, 8);
    }
    if (c < '\x80' && !/[0-9A-Za-z]/.test(c)) return c.charCodeAt(0);
    return fail('invalid escape sequence', '\\' + c);
  }

  /** A class: ranges, named classes and escapes, case-folded under (?i), as Go's parseClass reads them. */
  private charClass(): string {
    const s = this.src;
    const start = this.i;
    this.i++;
    const negated = s[this.i] === '^';
    if (negated) this.i++;
    const set = emptySet();
    const fold = this.flags.i;
    for (let first = true; ; first = false) {
      const c = s[this.i];
      if (c === undefined) return fail('missing closing ]', s.slice(start));
      if (c === ']' && !first) break;
      const posix = c === '[' ? /^\[:(\^?)(.*?):\]/su.exec(s.slice(this.i)) : null;
      if (posix) {
        if (!addPosix(set, posix[2] ?? '', posix[1] === '^', fold)) fail('invalid character class range', posix[0]);
        this.i += posix[0].length;
        continue;
      }
      if (c === '\\' && 'dDsSwWpP'.includes(s[this.i + 1] ?? '-')) {
        this.classEscape(set);
        continue;
      }
      const from = this.i;
      const lo = this.classRune();
      let hi = lo;
      if (s[this.i] === '-' && s[this.i + 1] !== undefined && s[this.i + 1] !== ']') {
        this.i++;
        hi = this.classRune();
        if (hi < lo) fail('invalid character class range', s.slice(from, this.i));
      }
      addRange(set, lo, hi, fold);
    }
    this.i++;
    return classText(set, negated);
  }

  private classRune(): number {
    if (this.src[this.i] === '\\') return this.runeEscape();
    const r = this.src.codePointAt(this.i) ?? 0;
    this.i += String.fromCodePoint(r).length;
    return r;
  }
}
