/**
 * Go's `unicode` package per rune: the simple case mappings of UnicodeData (one rune to one rune,
 * never JavaScript's full mappings that turn `ß` into `SS`) and the category predicates.
 */

/** Runes whose simple upper/lower mapping JavaScript's full mapping hides behind a longer string. */
const SIMPLE_UPPER: ReadonlyMap<number, number> = new Map([
  ...[0x1f80, 0x1f90, 0x1fa0].flatMap((base) => Array.from({ length: 8 }, (_, i) => [base + i, base + i + 8] as const)),
  [0x1fb3, 0x1fbc],
  [0x1fc3, 0x1fcc],
  [0x1ff3, 0x1ffc],
]);
const SIMPLE_LOWER: ReadonlyMap<number, number> = new Map([[0x130, 0x69]]);
/** Title case differs from upper case only for the Latin digraphs (DŽ Lj Nj Dz) and Greek with ypogegrammeni. */
const TITLE: ReadonlyMap<number, number> = new Map([
  ...[0x1c4, 0x1c5, 0x1c6].map((r) => [r, 0x1c5] as const),
  ...[0x1c7, 0x1c8, 0x1c9].map((r) => [r, 0x1c8] as const),
  ...[0x1ca, 0x1cb, 0x1cc].map((r) => [r, 0x1cb] as const),
  ...[0x1f1, 0x1f2, 0x1f3].map((r) => [r, 0x1f2] as const),
]);

function single(mapped: string, r: number): number {
  const cp = mapped.codePointAt(0) ?? r;
  return mapped.length === String.fromCodePoint(cp).length ? cp : r;
}

export function toUpperRune(r: number): number {
  if (r < 0x80) return r >= 0x61 && r <= 0x7a ? r - 32 : r;
  return SIMPLE_UPPER.get(r) ?? single(String.fromCodePoint(r).toUpperCase(), r);
}

export function toLowerRune(r: number): number {
  if (r < 0x80) return r >= 0x41 && r <= 0x5a ? r + 32 : r;
  return SIMPLE_LOWER.get(r) ?? single(String.fromCodePoint(r).toLowerCase(), r);
}

export function toTitleRune(r: number): number {
  return TITLE.get(r) ?? toUpperRune(r);
}

const test = (re: RegExp) => (r: number) => re.test(String.fromCodePoint(r));
export const isUpper = test(/^\p{Lu}$/u);
export const isLower = test(/^\p{Ll}$/u);
export const isTitle = test(/^\p{Lt}$/u);
export const isLetter = test(/^\p{L}$/u);
export const isNumber = test(/^\p{N}$/u);
export const isDigit = test(/^\p{Nd}$/u);
export const isPunct = test(/^\p{P}$/u);

/** xstrings' isAlphabet: a letter that is not a CJK ideograph. */
export function isAlphabetRune(r: number): boolean {
  if (!isLetter(r)) return false;
  if (r < 0x3400) return true;
  return !((r >= 0x4e00 && r <= 0x9fcc) || (r >= 0x3400 && r <= 0x4d85) || (r >= 0x20000 && r <= 0x2b81d));
}

/** unicode.IsSpace: Latin-1's spaces plus the White_Space property. */
export function isSpace(r: number): boolean {
  if (r <= 0xff) return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
  return /^\p{White_Space}$/u.test(String.fromCodePoint(r));
}

/** Runes of `s` as code points (a lone surrogate reads as U+FFFD, as Go decodes invalid UTF-8). */
export function runes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const r = ch.codePointAt(0) ?? 0xfffd;
    out.push(r >= 0xd800 && r <= 0xdfff ? 0xfffd : r);
  }
  return out;
}

export const fromRunes = (rs: readonly number[]): string => rs.map((r) => String.fromCodePoint(r)).join('');

/** Applies a rune mapping over a string. */
export const mapRunes = (s: string, f: (r: number) => number): string => fromRunes(runes(s).map(f));
