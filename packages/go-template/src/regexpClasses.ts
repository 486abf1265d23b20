/**
 * Character classes of Go's RE2 syntax as JavaScript class text: `\d \w \s` and the POSIX classes
 * are ASCII in Go (JavaScript's `\s` is wider), so they become explicit code point ranges, which
 * case folding (`(?i)`) and negation can then work on as Go's parser does.
 */
import { type Ranges, foldExtras, foldRanges } from './regexpCaseFold.js';

/** POSIX classes as code point ranges (RE2's). */
const POSIX: Record<string, Ranges> = {
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

/** Perl's `\d \s \w` as RE2 defines them. */
const PERL: Record<string, Ranges> = {
  d: [[0x30, 0x39]],
  s: [
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ],
  w: POSIX.word ?? [],
};

/**
 * A class being built: code point ranges, Unicode properties (`\p{Greek}` as JavaScript writes
 * them) and complements (`[^…]` contents) that the class includes.
 */
export interface CharSet {
  ranges: Ranges;
  props: string[];
  complements: string[];
}

export const emptySet = (): CharSet => ({ ranges: [], props: [], complements: [] });

/** The complement of ranges over all code points. */
function complement(ranges: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [lo, hi] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

/** Go's appendGroup: a named set, folded first when (?i) is on, then negated if asked. */
function addGroup(set: CharSet, ranges: Ranges, negate: boolean, fold: boolean): void {
  const folded = fold ? foldRanges(ranges) : ranges;
  set.ranges.push(...(negate ? complement(folded) : folded));
}

/** Adds a POSIX class (`alpha`); false when Go has no class of that name. */
export function addPosix(set: CharSet, name: string, negate: boolean, fold: boolean): boolean {
  const ranges = POSIX[name];
  if (ranges === undefined) return false;
  addGroup(set, ranges, negate, fold);
  return true;
}

/** Adds `\d \D \s \S \w \W` (letter given). */
export function addPerl(set: CharSet, letter: string, fold: boolean): void {
  addGroup(set, PERL[letter.toLowerCase()] ?? [], letter !== letter.toLowerCase(), fold);
}

/**
 * Adds `\pX` / `\p{Name}`; false when Go has no such class. Go's names are categories or scripts;
 * JavaScript needs `Script=` for scripts.
 */
export function addUnicode(set: CharSet, name: string, negate: boolean, fold: boolean): boolean {
  let n = name;
  let neg = negate;
  if (n.startsWith('^')) {
    neg = !neg;
    n = n.slice(1);
  }
  const prop = /^[A-Z][a-z]?$/.test(n) || n === 'Any' ? n : `Script=${n}`;
  let property: RegExp;
  try {
    property = new RegExp(`^\\p{${prop}}$`, 'u');
  } catch {
    return false;
  }
  const extras = fold ? foldExtras(property) : [];
  if (extras.length === 0) {
    set.props.push(`\\${neg ? 'P' : 'p'}{${prop}}`);
  } else if (neg) {
    set.complements.push(`\\p{${prop}}${rangesText(extras)}`);
  } else {
    set.props.push(`\\p{${prop}}`);
    set.ranges.push(...extras);
  }
  return true;
}

/** Adds a single rune or a range, with its case orbits under (?i). */
export function addRange(set: CharSet, lo: number, hi: number, fold: boolean): void {
  set.ranges.push(...(fold ? foldRanges([[lo, hi]]) : [[lo, hi] as [number, number]]));
}

const cp = (c: number): string => `\\u{${c.toString(16)}}`;

/** Sorted, merged ranges as class contents. */
function rangesText(ranges: Ranges): string {
  const merged: Ranges = [];
  for (const [lo, hi] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = merged[merged.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  return merged.map(([lo, hi]) => (lo === hi ? cp(lo) : `${cp(lo)}-${cp(hi)}`)).join('');
}

/**
 * The class as JavaScript pattern text. A complement cannot be written inside a JavaScript class
 * (before the `v` flag), so a class holding one becomes an alternation, and a negated one a
 * lookahead chain: `[^a\P{L}]` is "not a, and a letter".
 */
export function classText(set: CharSet, negated: boolean): string {
  const own = rangesText(set.ranges) + set.props.join('');
  if (set.complements.length === 0) return `[${negated ? '^' : ''}${own}]`;
  if (!negated)
    return `(?:${[...(own === '' ? [] : [`[${own}]`]), ...set.complements.map((c) => `[^${c}]`)].join('|')})`;
  const musts = set.complements.map((c) => `[${c}]`);
  const last = musts.pop() ?? '';
  return `(?:${own === '' ? '' : `(?![${own}])`}${musts.map((m) => `(?=${m})`).join('')}${last})`;
}
