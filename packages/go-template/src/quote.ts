/** Go's strconv quoting and unquoting (Quote, QuoteToASCII, QuoteRune, Unquote, UnquoteChar). */
import { utf8Decode, utf8Encode } from './utf8.js';

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** unicode.IsPrint */
export function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r >= 0xd800 && r <= 0xdfff) return false;
  return printable.test(String.fromCodePoint(r));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function escapeRune(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 0x5c) return '\\' + String.fromCodePoint(r);
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) return String.fromCodePoint(r);
  switch (r) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + hex(r, 2);
  if (r >= 0xd800 && r <= 0xdfff) return '\\ufffd';
  if (r < 0x10000) return '\\u' + hex(r, 4);
  return '\\U' + hex(r, 8);
}

function quoteWith(s: string, quote: number, asciiOnly: boolean): string {
  let out = String.fromCharCode(quote);
  for (const ch of s) out += escapeRune(ch.codePointAt(0) ?? 0, quote, asciiOnly);
  return out + String.fromCharCode(quote);
}

/** strconv.Quote */
export function goQuote(s: string): string {
  // Fast path for plain ASCII without specials.
  if (/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return '"' + s + '"';
  return quoteWith(s, 0x22, false);
}

/** strconv.QuoteToASCII */
export function goQuoteASCII(s: string): string {
  return quoteWith(s, 0x22, true);
}

/** strconv.QuoteRune / QuoteRuneToASCII */
export function goQuoteRune(r: number, asciiOnly = false): string {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff) || r < 0) r = 0xfffd;
  return "'" + escapeRune(r, 0x27, asciiOnly) + "'";
}

/** strconv.CanBackquote */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0) ?? 0;
    if (r === 0x60 || r === 0xfeff) return false;
    if (r < 0x20 && r !== 0x09) return false;
    if (r === 0x7f) return false;
    if (r === 0xfffd) return false;
  }
  return true;
}

export class SyntaxError_ extends Error {
  constructor() {
    super('invalid syntax');
  }
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/**
 * strconv.UnquoteChar: decodes the first character or escape of s.
 * Returns [value, isByte (\x or octal escape: a raw byte), tail]. Throws SyntaxError_.
 */
export function unquoteChar(s: string, quote: number): [number, boolean, string] {
  const c = s.codePointAt(0);
  if (c === undefined) throw new SyntaxError_();
  if (c === quote && (quote === 0x27 || quote === 0x22)) throw new SyntaxError_();
  if (c !== 0x5c) return [c, false, s.slice(c > 0xffff ? 2 : 1)];
  if (s.length <= 1) throw new SyntaxError_();
  const e = s.charCodeAt(1);
  let tail = s.slice(2);
  switch (e) {
    case 0x61:
      return [7, false, tail];
    case 0x62:
      return [8, false, tail];
    case 0x66:
      return [12, false, tail];
    case 0x6e:
      return [10, false, tail];
    case 0x72:
      return [13, false, tail];
    case 0x74:
      return [9, false, tail];
    case 0x76:
      return [11, false, tail];
    case 0x78:
    case 0x75:
    case 0x55: {
      const n = e === 0x78 ? 2 : e === 0x75 ? 4 : 8;
      if (tail.length < n) throw new SyntaxError_();
      let v = 0;
      for (let j = 0; j < n; j++) {
        const x = unhex(tail.charCodeAt(j));
        if (x < 0) throw new SyntaxError_();
        v = v * 16 + x;
      }
      tail = tail.slice(n);
      if (e === 0x78) return [v, true, tail];
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError_();
      return [v, false, tail];
    }
    case 0x30:
    case 0x31:
    case 0x32:
    case 0x33:
    case 0x34:
    case 0x35:
    case 0x36:
    case 0x37: {
      let v = e - 0x30;
      if (tail.length < 2) throw new SyntaxError_();
      for (let j = 0; j < 2; j++) {
        const x = tail.charCodeAt(j) - 0x30;
        if (x < 0 || x > 7) throw new SyntaxError_();
        v = v * 8 + x;
      }
      if (v > 255) throw new SyntaxError_();
      return [v, true, tail.slice(2)];
    }
    case 0x5c:
      return [0x5c, false, tail];
    case 0x27:
    case 0x22:
      if (e !== quote) throw new SyntaxError_();
      return [e, false, tail];
    default:
      throw new SyntaxError_();
  }
}

/** strconv.Unquote for "..." `...` and '...' literals. Throws SyntaxError_. */
export function goUnquote(s: string): string {
  const n = s.length;
  if (n < 2) throw new SyntaxError_();
  const quote = s.charCodeAt(0);
  if (quote !== s.charCodeAt(n - 1)) throw new SyntaxError_();
  const body = s.slice(1, n - 1);
  if (quote === 0x60) {
    if (body.includes('`')) throw new SyntaxError_();
    return body.includes('\r') ? body.replace(/\r/g, '') : body;
  }
  if (quote !== 0x22 && quote !== 0x27) throw new SyntaxError_();
  if (body.includes('\n')) throw new SyntaxError_();
  if (!body.includes('\\') && !body.includes(String.fromCharCode(quote))) {
    if (quote === 0x22) return body;
    if (Array.from(body).length === 1) return body;
  }
  let rest = body;
  let out = '';
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) {
      out += utf8Decode(Uint8Array.from(bytes));
      bytes = [];
    }
  };
  while (rest.length > 0) {
    const [v, isByte, tail] = unquoteChar(rest, quote);
    rest = tail;
    if (isByte) bytes.push(v);
    else {
      flush();
      out += String.fromCodePoint(v);
    }
    if (quote === 0x27 && rest.length !== 0) throw new SyntaxError_();
  }
  flush();
  return out;
}

export { utf8Encode };
