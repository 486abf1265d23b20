/**
 * Go's regexp (RE2 syntax) on JavaScript's RegExp: patterns are translated (`regexpTranslate.ts`:
 * Go's `\s`, `.`, `\A`, `\z`, `\Q…\E`, `(?P<name>)`, POSIX and Unicode classes, and the flags
 * `i m s U` wherever Go accepts them), Go's syntax errors are raised in Go's words, and matching
 * follows Go's rules for empty matches. RE2 has no backreferences or lookaround, so translated
 * patterns run in JavaScript's engine without them.
 */
import { RegexpSyntaxError, Translator } from './regexpTranslate.js';

export { RegexpSyntaxError };

export interface GoRegexp {
  readonly re: RegExp;
  /** Capture group names by group number (index 0: the whole match). */
  readonly names: readonly string[];
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
    re = new RegExp(source, 'gu');
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
