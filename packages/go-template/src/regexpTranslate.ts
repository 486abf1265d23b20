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

/**
 * What an operator would repeat: the output from `at` on, or nothing (at the start, after `(` or
 * `|`). JavaScript repeats neither an assertion nor a repetition, which Go does (`^*`, `a{2}(?i)+`),
 * so those are wrapped in a group first.
 */
interface Operand {
  at: number;
  kind: 'atom' | 'assertion' | 'repeated';
}

export class Translator {
  private i = 0;
  private out = '';
  private flags: Flags = { i: false, m: false, s: false, U: false };
  /** For each open group: the flags its `)` restores (Go scopes flags to the group) and where it starts. */
  private readonly open: { flags: Flags; at: number }[] = [];
  private operand: Operand | null = null;
  /** Where the operator just read starts in the pattern, for Go's nested-repetition error (`a**`). */
  private repeatedAt: number | null = null;
  readonly names: string[] = [''];

  constructor(private readonly src: string) {}

  translate(): string {
    while (this.i < this.src.length) this.step();
    if (this.open.length > 0) fail('missing closing )', this.src);
    return this.out;
  }

  /** Translates one syntax element. */
  private step(): void {
    const s = this.src;
    const c = s[this.i] ?? '';
    const at = this.out.length;
    if ('*+?'.includes(c) || (c === '{' && /^\{\d+(,\d*)?\}/.test(s.slice(this.i)))) {
      this.repeat(c);
      return;
    }
    this.repeatedAt = null;
    switch (c) {
      case '\\': {
        if (s[this.i + 1] === 'Q') {
          this.quote();
          return;
        }
        const assertion = 'AzbB'.includes(s[this.i + 1] ?? '-');
        const text = this.escape();
        this.out += text;
        this.operand = { at, kind: assertion ? 'assertion' : 'atom' };
        return;
      }
      case '[':
        this.out += this.charClass();
        break;
      case '(':
        // A flag change adds nothing: an operator after it repeats what came before, as in Go.
        if (this.group()) return;
        this.operand = null;
        return;
      case ')': {
        const group = this.open.pop();
        if (group === undefined) return fail('unexpected )', s);
        this.flags = group.flags;
        this.i++;
        this.out += ')';
        this.operand = { at: group.at, kind: 'atom' };
        return;
      }
      case '|':
        this.i++;
        this.out += '|';
        this.operand = null;
        return;
      case '.':
        this.i++;
        this.out += this.flags.s ? '[\\s\\S]' : '[^\\n]';
        break;
      case '^':
      case '$':
        this.i++;
        // Go's multi-line anchors see only `\n` as a line end; JavaScript's `m` flag sees `\r` too.
        if (this.flags.m) this.out += c === '^' ? '(?<![^\\n])' : '(?![^\\n])';
        else this.out += c;
        this.operand = { at, kind: 'assertion' };
        return;
      case '{':
      case '}':
        this.i++;
        this.out += '\\' + c;
        break;
      default: {
        const r = s.codePointAt(this.i) ?? 0;
        this.i += String.fromCodePoint(r).length;
        this.out += this.literal(r);
      }
    }
    this.operand = { at, kind: 'atom' };
  }

  /**
   * `\Q…\E`: literal runes, the last of them what an operator after it repeats; an empty one adds
   * nothing, so an operator after it repeats what came before, as in Go.
   */
  private quote(): void {
    const s = this.src;
    const end = s.indexOf('\\E', this.i + 2);
    const text = end < 0 ? s.slice(this.i + 2) : s.slice(this.i + 2, end);
    this.i = end < 0 ? s.length : end + 2;
    for (const ch of text) {
      this.operand = { at: this.out.length, kind: 'atom' };
      this.out += this.literal(ch.codePointAt(0) ?? 0);
    }
  }

  /** `* + ? {n,m}` and their `?` forms; under (?U) the `?` form is the greedy one. */
  private repeat(c: string): void {
    const s = this.src;
    const m = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i)) : null;
    const op = m ? m[0] : c;
    if (m && (Number(m[1]) > 1000 || (m[3] !== undefined && m[3] !== '' && Number(m[3]) > 1000))) {
      fail('invalid repeat count', op);
    }
    if (m && m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(m[1])) fail('invalid repeat count', op);
    const start = this.i;
    this.i += op.length;
    const lazy = s[this.i] === '?';
    if (lazy) this.i++;
    if (this.repeatedAt !== null) fail('invalid nested repetition operator', s.slice(this.repeatedAt, this.i));
    const operand = this.operand;
    if (operand === null) return fail('missing argument to repetition operator', s.slice(start, this.i));
    if (operand.kind !== 'atom') this.out = `${this.out.slice(0, operand.at)}(?:${this.out.slice(operand.at)})`;
    this.out += op + (lazy !== this.flags.U ? '?' : '');
    this.operand = { at: operand.at, kind: 'repeated' };
    this.repeatedAt = start;
  }

  /** A literal rune; under (?i) the class of its case orbit. */
  private literal(r: number): string {
    if (!this.flags.i) return literalText(r);
    const set = emptySet();
    addRange(set, r, r, true);
    return set.ranges.length > 1 ? classText(set, false) : literalText(r);
  }

  /** Opens a group or changes flags; returns whether it only changed flags. */
  private group(): boolean {
    const s = this.src;
    const rest = s.slice(this.i);
    if (!rest.startsWith('(?')) {
      this.openGroup('');
      this.i++;
      return false;
    }
    const named = /^\(\?P?</.exec(rest);
    if (named && rest.length > named[0].length) {
      const end = rest.indexOf('>');
      if (end < 0) fail('invalid named capture', rest);
      const name = rest.slice(named[0].length, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) fail('invalid named capture', rest.slice(0, end + 1));
      // The name is kept for Expand's $name; JavaScript gets a plain group, since Go allows two
      // groups of one name and JavaScript does not.
      this.openGroup(name);
      this.i += end + 1;
      return false;
    }
    return this.perlFlags();
  }

  /** Opens a group (a capturing one unless name is undefined), saving the flags its `)` restores. */
  private openGroup(name: string | undefined): void {
    this.open.push({ flags: { ...this.flags }, at: this.out.length });
    if (name === undefined) this.out += '(?:';
    else {
      this.names.push(name);
      this.out += '(';
    }
  }

  /**
   * `(?flags)` (for the rest of the group) and `(?flags:re)`, read as Go's parsePerlFlags does;
   * returns whether it only changed flags.
   */
  private perlFlags(): boolean {
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
        if (c === ':') this.openGroup(undefined);
        this.flags = flags;
        this.i = j;
        return c === ')';
      } else break;
    }
    return fail('invalid or unsupported Perl syntax', s.slice(this.i, j));
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
    if (c === 'x') return this.hexEscape();
    // Octal: \0 with up to two more digits; \1-\7 only with a second digit (alone, a backreference).
    if (c >= '0' && c <= '7' && (c === '0' || /[0-7]/.test(s[this.i] ?? ''))) {
      const digits = c + (/^[0-7]{0,2}/.exec(s.slice(this.i))?.[0] ?? '');
      this.i += digits.length - 1;
      return parseInt(digits, 8);
    }
    if (c < '\x80' && !/[0-9A-Za-z]/.test(c)) return c.charCodeAt(0);
    return fail('invalid escape sequence', '\\' + c);
  }

  /** `\xHH` or `\x{H…}` after its `\x`; Go's error quotes what was read up to the bad character. */
  private hexEscape(): number {
    const s = this.src;
    const start = this.i - 2;
    const bad = (end: number): never => fail('invalid escape sequence', s.slice(start, end));
    const hex = (ch: string | undefined): number =>
      ch !== undefined && /^[0-9A-Fa-f]$/.test(ch) ? parseInt(ch, 16) : -1;
    if (s[this.i] !== '{') {
      const x = hex(s[this.i]);
      const y = hex(s[this.i + 1]);
      if (x < 0 || y < 0) bad(Math.min(this.i + 2, s.length));
      this.i += 2;
      return x * 16 + y;
    }
    let r = 0;
    let j = this.i + 1;
    for (; s[j] !== '}'; j++) {
      const v = hex(s[j]);
      if (v < 0) bad(Math.min(j + 1, s.length));
      r = r * 16 + v;
      if (r > 0x10ffff) bad(j + 1);
    }
    if (j === this.i + 1) bad(j + 1);
    this.i = j + 1;
    return r;
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
