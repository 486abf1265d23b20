/** UTF-8 helpers in plain TypeScript (no Buffer, no TextEncoder dependency in workflow code). */

/** Number of bytes of the UTF-8 encoding of `s` (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** UTF-8 bytes of `s`. */
export function utf8Encode(s: string): Uint8Array {
  const out = new Uint8Array(utf8Length(s));
  let p = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00);
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      c = 0xfffd;
    }
    if (c < 0x80) out[p++] = c;
    else if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
    } else if (c < 0x10000) {
      out[p++] = 0xe0 | (c >> 12);
      out[p++] = 0x80 | ((c >> 6) & 0x3f);
      out[p++] = 0x80 | (c & 0x3f);
    } else {
      out[p++] = 0xf0 | (c >> 18);
      out[p++] = 0x80 | ((c >> 12) & 0x3f);
      out[p++] = 0x80 | ((c >> 6) & 0x3f);
      out[p++] = 0x80 | (c & 0x3f);
    }
  }
  return out;
}

/** Decodes UTF-8 like Go's string conversion: invalid sequences become U+FFFD (one per bad byte). */
export function utf8Decode(b: Uint8Array): string {
  let s = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    let cp = 0xfffd;
    let size = 1;
    if (c < 0x80) {
      cp = c;
    } else if (c >= 0xc2 && c <= 0xdf && i + 1 < b.length && ((b[i + 1] ?? 0) & 0xc0) === 0x80) {
      cp = ((c & 0x1f) << 6) | ((b[i + 1] ?? 0) & 0x3f);
      size = 2;
    } else if (c >= 0xe0 && c <= 0xef && i + 2 < b.length) {
      const c1 = b[i + 1] ?? 0;
      const c2 = b[i + 2] ?? 0;
      const lo = c === 0xe0 ? 0xa0 : 0x80;
      const hi = c === 0xed ? 0x9f : 0xbf;
      if (c1 >= lo && c1 <= hi && (c2 & 0xc0) === 0x80) {
        cp = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
        size = 3;
      }
    } else if (c >= 0xf0 && c <= 0xf4 && i + 3 < b.length) {
      const c1 = b[i + 1] ?? 0;
      const c2 = b[i + 2] ?? 0;
      const c3 = b[i + 3] ?? 0;
      const lo = c === 0xf0 ? 0x90 : 0x80;
      const hi = c === 0xf4 ? 0x8f : 0xbf;
      if (c1 >= lo && c1 <= hi && (c2 & 0xc0) === 0x80 && (c3 & 0xc0) === 0x80) {
        cp = ((c & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
        size = 4;
      }
    }
    s += String.fromCodePoint(cp);
    i += size;
  }
  return s;
}

/** Go's len(s) for a string: its length in UTF-8 bytes. */
export const byteLen = utf8Length;
