/**
 * Sprig's string functions beyond the common ones in sprig.ts (strings.go, Masterminds/goutils and
 * huandu/xstrings). Functions that Go writes over bytes work over the UTF-8 bytes here too.
 */
import { FuncError } from './errors.js';
import { type FuncMap, goFunc } from './functions.js';
import {
  fromRunes,
  isAlphabetRune,
  isLower,
  isNumber,
  isPunct,
  isSpace,
  isTitle,
  isUpper,
  runes,
  toLowerRune,
  toTitleRune,
  toUpperRune,
} from './unicode.js';
import { utf8Decode, utf8Encode } from './utf8.js';
import { typedMap, typedSlice } from './values.js';
import { sprintf } from './sprintf.js';
import { strslice, strval } from './sprig.js';

/** A string's UTF-8 bytes as a JS string of char codes 0-255, so byte offsets are string offsets. */
function toBytes(s: string): string {
  const b = utf8Encode(s);
  let out = '';
  for (let i = 0; i < b.length; i += 8192) out += String.fromCharCode(...b.subarray(i, i + 8192));
  return out;
}
const fromBytes = (b: string): string => utf8Decode(Uint8Array.from(b, (c) => c.charCodeAt(0)));

/** Go's runtime panic for an out-of-range string slice expression. */
function sliceBytes(b: string, lo: number | undefined, hi: number | undefined): string {
  const len = b.length;
  if (hi !== undefined && (hi < 0 || hi > len)) {
    throw new FuncError(`runtime error: slice bounds out of range [:${hi}]${hi < 0 ? '' : ` with length ${len}`}`);
  }
  const end = hi ?? len;
  if (lo !== undefined && (lo < 0 || lo > end)) {
    throw new FuncError(`runtime error: slice bounds out of range [${lo}:${hi === undefined && lo >= 0 ? len : end}]`);
  }
  return b.slice(lo ?? 0, end);
}

function substr(start: number, end: number, s: string): string {
  const b = toBytes(s);
  if (start < 0) return fromBytes(sliceBytes(b, undefined, end));
  if (end < 0 || end > b.length) return fromBytes(sliceBytes(b, start, undefined));
  return fromBytes(sliceBytes(b, start, end));
}

function trunc(c: number, s: string): string {
  const b = toBytes(s);
  if (c < 0 && b.length + c > 0) return fromBytes(b.slice(b.length + c));
  if (c >= 0 && b.length > c) return fromBytes(b.slice(0, c));
  return s;
}

/** goutils.AbbreviateFull over bytes (errors only arise for widths sprig never passes). */
function abbreviateFull(str: string, offset: number, maxWidth: number): string {
  if (str === '') return '';
  const len = str.length;
  if (len <= maxWidth) return str;
  if (offset > len) offset = len;
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  if (offset <= 4) return str.slice(0, maxWidth - 3) + '...';
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < len) return '...' + abbreviateFull(str.slice(offset), 0, maxWidth - 3);
  return '...' + str.slice(len - (maxWidth - 3));
}

/** strings.Trim(s, cutset) */
function trimAll(cutset: string, s: string): string {
  const cut = new Set(runes(cutset));
  const rs = runes(s);
  let lo = 0;
  let hi = rs.length;
  while (lo < hi && cut.has(rs[lo] ?? -1)) lo++;
  while (hi > lo && cut.has(rs[hi - 1] ?? -1)) hi--;
  return lo === 0 && hi === rs.length ? s : fromRunes(rs.slice(lo, hi));
}

/** goutils.DeleteWhiteSpace: byte by byte, each kept byte written as the rune of that value. */
function nospace(s: string): string {
  const b = toBytes(s);
  let out = '';
  for (const ch of b) if (!isSpace(ch.charCodeAt(0))) out += ch;
  return out.length === b.length ? s : out;
}

/** goutils.Initials: byte by byte, like nospace. */
function initials(s: string): string {
  let out = '';
  let gap = true;
  for (const ch of toBytes(s)) {
    if (isSpace(ch.charCodeAt(0))) gap = true;
    else if (gap) {
      out += ch;
      gap = false;
    }
  }
  return out;
}

function untitle(s: string): string {
  let next = true;
  return fromRunes(
    runes(s).map((r) => {
      if (isSpace(r)) next = true;
      else if (next) {
        next = false;
        return toLowerRune(r);
      }
      return r;
    }),
  );
}

/** goutils.SwapCase: lower case after white space becomes title case. */
function swapcase(s: string): string {
  let ws = true;
  return fromRunes(
    runes(s).map((r) => {
      if (isUpper(r) || isTitle(r)) {
        ws = false;
        return toLowerRune(r);
      }
      if (isLower(r)) {
        const out = ws ? toTitleRune(r) : toUpperRune(r);
        ws = false;
        return out;
      }
      ws = isSpace(r);
      return r;
    }),
  );
}

/** goutils.WrapCustom over bytes. */
function wrapCustom(s: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (s === '') return '';
  const str = toBytes(s);
  const nl = newLine === '' ? '\n' : toBytes(newLine);
  if (wrapLength < 1) wrapLength = 1;
  const len = str.length;
  let offset = 0;
  let out = '';
  while (len - offset > wrapLength) {
    if (str[offset] === ' ') {
      offset++;
      continue;
    }
    const spaceAt = str.slice(offset, wrapLength + offset + 1).lastIndexOf(' ') + offset;
    if (spaceAt >= offset) {
      out += str.slice(offset, spaceAt) + nl;
      offset = spaceAt + 1;
    } else if (wrapLongWords) {
      out += str.slice(offset, offset + wrapLength) + nl;
      offset += wrapLength;
    } else {
      const end = wrapLength + offset;
      const index = str.slice(end).indexOf(' ');
      if (index === -1) {
        out += str.slice(offset);
        offset = len;
      } else {
        out += str.slice(offset, index + end) + nl;
        offset = index + end + 1;
      }
    }
  }
  return fromBytes(out + str.slice(offset));
}

const isConnector = (r: number): boolean => r === 0x2d || r === 0x5f || isSpace(r);

/** xstrings.ToPascalCase */
function pascalCase(s: string): string {
  const rs = runes(s);
  if (rs.length === 0) return '';
  const out: number[] = [];
  let i = 0;
  let firstUpper = false;
  let r0 = 0;
  for (; i < rs.length;) {
    r0 = rs[i++] ?? 0;
    if (!isConnector(r0)) {
      firstUpper = isUpper(r0);
      r0 = toUpperRune(r0);
      break;
    }
    out.push(r0);
  }
  if (i >= rs.length) {
    // Go writes the last rune again when every rune is a connector.
    out.push(r0);
    return fromRunes(out);
  }
  while (i < rs.length) {
    const r1 = r0;
    r0 = rs[i++] ?? 0;
    if (isConnector(r0) && isConnector(r1)) {
      out.push(r1);
      continue;
    }
    if (isConnector(r1)) {
      firstUpper = isUpper(r0);
      r0 = toUpperRune(r0);
    } else {
      if (firstUpper) {
        if (isUpper(r0)) r0 = toLowerRune(r0);
        else firstUpper = false;
      }
      out.push(r1);
    }
  }
  out.push(r0);
  return fromRunes(out);
}

const enum Word {
  Invalid,
  Number,
  Upper,
  Alphabet,
  Connector,
  Punct,
  Other,
}
const RUNE_ERROR = 0xfffd;

/** xstrings' nextValidRune over runes: skips U+FFFD; returns [rune, runes consumed]. */
function nextValid(rs: number[], p: number, prev: number): [number, number] {
  let size = 0;
  for (; p < rs.length; p++) {
    size++;
    const r = rs[p] ?? RUNE_ERROR;
    if (r !== RUNE_ERROR) return [r, size];
  }
  return [prev, size];
}

/** xstrings' nextWord: the word type and the word's end, starting at p. */
function nextWord(rs: number[], p: number): [Word, number] {
  const n = rs.length;
  if (p >= n) return [Word.Invalid, p];
  let [r, size] = nextValid(rs, p, RUNE_ERROR);
  let offset = size;
  if (r === RUNE_ERROR) return [Word.Invalid, p + offset];
  let rem = p + size;
  const scan = (keep: (x: number) => boolean): void => {
    while (rem < n) {
      [r, size] = nextValid(rs, rem, r);
      if (!keep(r)) break;
      offset += size;
      rem += size;
    }
  };
  const alpha = (x: number): boolean => isAlphabetRune(x) && !isUpper(x);
  if (isConnector(r)) return (scan(isConnector), [Word.Connector, p + offset]);
  if (isPunct(r)) return (scan(isPunct), [Word.Punct, p + offset]);
  if (isUpper(r)) {
    if (rem >= n) return [Word.Upper, p + offset];
    [r, size] = nextValid(rs, rem, r);
    if (isUpper(r)) {
      let prevSize = size;
      offset += size;
      rem += size;
      while (rem < n) {
        [r, size] = nextValid(rs, rem, r);
        if (!isUpper(r)) break;
        prevSize = size;
        offset += size;
        rem += size;
      }
      if (rem < n && isAlphabetRune(r)) offset -= prevSize;
    } else if (isAlphabetRune(r)) {
      offset += size;
      rem += size;
      scan(alpha);
    }
    return [Word.Upper, p + offset];
  }
  if (isAlphabetRune(r)) return (scan(alpha), [Word.Alphabet, p + offset]);
  if (isNumber(r)) return (scan(isNumber), [Word.Number, p + offset]);
  scan((x) => !(isConnector(x) || isAlphabetRune(x) || isNumber(x) || isPunct(x)));
  return [Word.Other, p + offset];
}

/** xstrings' camelCaseToLowerCase (snakecase, kebabcase). */
function lowerCaseWords(s: string, connector: number): string {
  const rs = runes(s);
  if (rs.length === 0) return '';
  const out: number[] = [];
  const lower = (wt: Word, from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const r = rs[i] ?? 0;
      if (wt !== Word.Upper && wt !== Word.Connector) out.push(r);
      else out.push(isConnector(r) ? connector : isUpper(r) ? toLowerRune(r) : r);
    }
  };
  let start = 0;
  let [wt, end] = nextWord(rs, 0);
  while (end < rs.length) {
    if (wt !== Word.Connector) lower(wt, start, end);
    const prev = wt;
    const [lastStart, lastEnd] = [start, end];
    start = end;
    [wt, end] = nextWord(rs, end);
    if (prev === Word.Number) {
      while (wt === Word.Alphabet || wt === Word.Number) {
        lower(wt, start, end);
        start = end;
        [wt, end] = nextWord(rs, end);
      }
      if (wt !== Word.Invalid && wt !== Word.Punct && wt !== Word.Connector) out.push(connector);
    } else if (prev === Word.Connector) {
      lower(prev, lastStart, lastEnd);
    } else if (prev !== Word.Punct) {
      if (wt !== Word.Number) {
        if (wt !== Word.Connector && wt !== Word.Punct) out.push(connector);
        continue;
      }
      if (end >= rs.length) continue;
      const [numStart, numEnd] = [start, end];
      start = end;
      [wt, end] = nextWord(rs, end);
      if (wt !== Word.Alphabet) {
        lower(Word.Number, numStart, numEnd);
        if (wt !== Word.Connector && wt !== Word.Punct) out.push(connector);
        continue;
      }
      out.push(connector);
      lower(Word.Number, numStart, numEnd);
      while (wt === Word.Alphabet || wt === Word.Number) {
        lower(wt, start, end);
        start = end;
        [wt, end] = nextWord(rs, end);
      }
      if (wt !== Word.Invalid && wt !== Word.Connector && wt !== Word.Punct) out.push(connector);
    }
  }
  lower(wt, start, end);
  return fromRunes(out);
}

/** strings.SplitN */
function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const rs = Array.from(s);
    if (n < 0 || n >= rs.length) return rs;
    return [...rs.slice(0, n - 1), rs.slice(n - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

export const sprigStringFuncs: FuncMap = {
  hello: goFunc([], () => 'Hello!'),
  abbrev: goFunc(['int', 'string'], (width: number, s: string) =>
    width < 4 ? s : fromBytes(abbreviateFull(toBytes(s), 0, width)),
  ),
  abbrevboth: goFunc(['int', 'int', 'string'], (left: number, right: number, s: string) =>
    right < 4 || (left > 0 && right < 7) ? s : fromBytes(abbreviateFull(toBytes(s), left, right)),
  ),
  trunc: goFunc(['int', 'string'], trunc),
  substr: goFunc(['int', 'int', 'string'], substr),
  untitle: goFunc(['string'], untitle),
  trimAll: goFunc(['string', 'string'], trimAll),
  trimall: goFunc(['string', 'string'], trimAll),
  nospace: goFunc(['string'], nospace),
  initials: goFunc(['string'], initials),
  swapcase: goFunc(['string'], swapcase),
  camelcase: goFunc(['string'], pascalCase),
  snakecase: goFunc(['string'], (s: string) => lowerCaseWords(s, 0x5f)),
  kebabcase: goFunc(['string'], (s: string) => lowerCaseWords(s, 0x2d)),
  wrap: goFunc(['int', 'string'], (l: number, s: string) => wrapCustom(s, l, '', false)),
  wrapWith: goFunc(['int', 'string', 'string'], (l: number, sep: string, s: string) => wrapCustom(s, l, sep, true)),
  cat: goFunc(
    ['any'],
    (...v: unknown[]) => {
      const kept = v.filter((x) => x !== null);
      return sprintf(kept.map(() => '%v').join(' '), kept);
    },
    true,
  ),
  plural: goFunc(['string', 'string', 'int'], (one: string, many: string, n: number) => (n === 1 ? one : many)),
  toStrings: goFunc(['any'], (v: unknown) => typedSlice(strslice(v), 'string')),
  splitn: goFunc(['string', 'int', 'string'], (sep: string, n: number, s: string) => {
    const res: Record<string, string> = Object.create(null) as Record<string, string>;
    splitN(s, sep, n).forEach((p, i) => (res[`_${i}`] = p));
    return typedMap(res, 'string');
  }),
};

export { strval };
