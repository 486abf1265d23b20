/**
 * go-yaml v2's view of a scalar: its resolver (would plain text read back as a non-string?), its
 * analysis of which styles a string allows, and its "natural" ordering of mapping keys.
 */

const isLetter = (c: string): boolean => /^\p{L}$/u.test(c);
const isDigit = (c: string): boolean => /^\p{Nd}$/u.test(c);

/** go-yaml v2's keyList.Less for string keys: letters before non-letters, digit runs numerically. */
export function yamlKeyCompare(a: string, b: string): number {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] as string;
    const bc = br[i] as string;
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return (ac.codePointAt(0) ?? 0) < (bc.codePointAt(0) ?? 0) ? -1 : 1;
    if (al || bl) return bl ? -1 : 1;
    let an = 0n;
    let bn = 0n;
    if (ac === '0' || bc === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] as string); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai] as string); ai++)
      an = an * 10n + BigInt((ar[ai] as string).charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi] as string); bi++)
      bn = bn * 10n + BigInt((br[bi] as string).charCodeAt(0) - 48);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return (ac.codePointAt(0) ?? 0) < (bc.codePointAt(0) ?? 0) ? -1 : 1;
  }
  return ar.length - br.length;
}

// ---- go-yaml's resolver: would this plain text read back as something other than a string? ----

const RESOLVE_MAP = new Set(
  'y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF ~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF <<'.split(
    ' ',
  ),
);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
export const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function isGoFloatSyntax(s: string): boolean {
  return (
    /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ||
    /^[+-]?(inf|infinity|nan)$/i.test(s) ||
    /^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+$/.test(s)
  );
}

function isGoInt(s: string): boolean {
  return /^[+-]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/.test(s);
}

function isTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(
    s,
  );
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  const year = Number(m[1]);
  const dim = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  if (month < 1 || month > 12 || day < 1 || day > (dim[month - 1] ?? 31)) return false;
  if (m[4] === undefined) return true;
  if (Number(m[5]) > 23 || Number(m[6]) > 59 || Number(m[7]) > 59) return false;
  // "2006-1-2 15:4:5" has no zone; the T forms require one.
  return m[4] === ' ' ? m[9] === undefined : m[9] !== undefined;
}

export function resolvesToNonString(s: string): boolean {
  if (s === '') return true;
  const c = s[0] as string;
  // go-yaml consults its table of special words only for these first characters.
  if (!/[-+0-9.yYnNtTfFoO~]/.test(c)) return false;
  if (RESOLVE_MAP.has(s)) return true;
  if (c === '.') return isGoFloatSyntax(s);
  if (!/[-+0-9]/.test(c)) return false;
  if (isTimestamp(s)) return true;
  const plain = s.replace(/_/g, '');
  if (isGoInt(plain)) return true;
  if (YAML_FLOAT.test(plain)) return true;
  if (/^-0b[01]+$/.test(plain)) return true;
  return false;
}

// ---- the emitter ----

export const isBreak = (c: string): boolean =>
  c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

export function isPrintable(c: string): boolean {
  const r = c.codePointAt(0) ?? 0;
  return (
    r === 0x0a || (r >= 0x20 && r <= 0x7e) || (r >= 0xa0 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd && r !== 0xfeff)
  );
}

export interface Analysis {
  multiline: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

export function analyze(value: string): Analysis {
  if (value.length === 0) return { multiline: false, blockPlain: true, singleQuoted: true, block: false };
  const chars = Array.from(value);
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || isBlank(next) || isBreak(next);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else if (c === ':' && followedByWhitespace) blockIndicators = true;
    else if (c === '#' && precededByWhitespace) blockIndicators = true;
    if (!isPrintable(c)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c);
  }
  const a: Analysis = { multiline: lineBreaks, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) a.blockPlain = a.singleQuoted = false;
  if (spaceBreak || special) a.blockPlain = a.singleQuoted = a.block = false;
  if (lineBreaks) a.blockPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}
