/**
 * Go's case folding for regular expressions (`(?i)`): a rune matches every rune of its
 * unicode.SimpleFold orbit (k, K and U+212A KELVIN SIGN; s, S and U+017F LONG S). JavaScript's
 * RegExp cannot turn case-insensitivity on for part of a pattern, so the translator expands folded
 * literals and classes into these orbits itself.
 *
 * The orbits are JavaScript's own: runes joined by their one-rune upper/lower case mappings, kept
 * only where a `u`-mode case-insensitive RegExp (simple case folding, as Go's) agrees they are
 * equivalent; that leaves out pairs such as ı/I, which Go's folding does not join either.
 */

export type Ranges = [number, number][];

/** The runes that have case variants, ascending, and each one's orbit. Built on first use. */
let table: { runes: number[]; orbits: Map<number, number[]> } | undefined;

/** The highest rune with a case variant is in Adlam (U+1E943); none lie above. */
const LAST_CASED = 0x1e943;

function oneRune(s: string): number | undefined {
  const r = s.codePointAt(0);
  return r !== undefined && s.length === String.fromCodePoint(r).length ? r : undefined;
}

function buildTable(): { runes: number[]; orbits: Map<number, number[]> } {
  const parent = new Map<number, number>();
  const root = (r: number): number => {
    let x = r;
    for (let p = parent.get(x); p !== undefined && p !== x; p = parent.get(x)) x = p;
    return x;
  };
  const casemapped = /\p{Changes_When_Casemapped}/u;
  // A case-insensitive backreference compares its two runes by simple case folding.
  const equivalent = /^(.)\1$/isu;
  for (let r = 0x41; r <= LAST_CASED; r++) {
    if (r >= 0xd800 && r <= 0xdfff) continue;
    const c = String.fromCodePoint(r);
    if (!casemapped.test(c)) continue;
    for (const mapped of [c.toLowerCase(), c.toUpperCase()]) {
      const m = oneRune(mapped);
      if (m === undefined || m === r || !equivalent.test(c + mapped)) continue;
      if (!parent.has(r)) parent.set(r, r);
      if (!parent.has(m)) parent.set(m, m);
      const a = root(r);
      const b = root(m);
      if (a !== b) parent.set(a, b);
    }
  }
  const groups = new Map<number, number[]>();
  for (const r of parent.keys()) {
    const g = groups.get(root(r)) ?? [];
    g.push(r);
    groups.set(root(r), g);
  }
  const orbits = new Map<number, number[]>();
  for (const g of groups.values()) for (const r of g) orbits.set(r, g);
  return { runes: [...orbits.keys()].sort((a, b) => a - b), orbits };
}

function foldTable(): { runes: number[]; orbits: Map<number, number[]> } {
  table ??= buildTable();
  return table;
}

/** The ranges with every rune's orbit added (Go's appendFoldedRange). */
export function foldRanges(ranges: Ranges): Ranges {
  const { runes, orbits } = foldTable();
  const out: Ranges = [...ranges];
  for (const [lo, hi] of ranges) {
    // The first rune with case variants at or after lo (binary search: patterns fold rune by rune).
    let a = 0;
    let b = runes.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if ((runes[mid] ?? 0) < lo) a = mid + 1;
      else b = mid;
    }
    for (let k = a; k < runes.length && (runes[k] ?? 0) <= hi; k++) {
      for (const o of orbits.get(runes[k] ?? 0) ?? []) out.push([o, o]);
    }
  }
  return out;
}

/** Runes outside a Unicode property whose orbit reaches into it (Go's fold tables: foldLu, foldGreek, …). */
export function foldExtras(property: RegExp): Ranges {
  const { runes, orbits } = foldTable();
  const out: Ranges = [];
  for (const r of runes) {
    if (!property.test(String.fromCodePoint(r))) continue;
    for (const o of orbits.get(r) ?? []) if (!property.test(String.fromCodePoint(o))) out.push([o, o]);
  }
  return out;
}
