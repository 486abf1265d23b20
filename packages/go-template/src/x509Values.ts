/**
 * Go's x509 checks on a certificate's values: the string types of name attributes
 * (parseASN1String) and UTCTime/GeneralizedTime, which Go parses and formats back, so only the
 * canonical text is accepted.
 */

/** Go's utf8.Valid: shortest forms, no surrogates, at most U+10FFFF. */
function validUtf8(b: Uint8Array): boolean {
  for (let i = 0; i < b.length;) {
    const c = b[i] ?? 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > b.length) return false;
    const c1 = b[i + 1] ?? 0;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const [lo, hi] =
      c === 0xe0
        ? [0xa0, 0xbf]
        : c === 0xed
          ? [0x80, 0x9f]
          : c === 0xf0
            ? [0x90, 0xbf]
            : c === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    if (c1 < lo || c1 > hi) return false;
    for (let k = 2; k < n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return false;
    i += n;
  }
  return true;
}

function isPrintable(b: number): boolean {
  const c = String.fromCharCode(b);
  return /[a-zA-Z0-9'()+,\-./ :=?*&]/.test(c);
}

/** parseASN1String's checks; returns Go's message for a value it rejects. */
export function asn1StringProblem(tag: number, value: Uint8Array): string | undefined {
  switch (tag) {
    case 0x14: // T61String, read as Latin-1
      return undefined;
    case 0x13: // PrintableString
      return value.every(isPrintable) ? undefined : 'invalid PrintableString';
    case 0x0c: // UTF8String
      return validUtf8(value) ? undefined : 'invalid UTF-8 string';
    case 0x1e: {
      // BMPString: UCS-2, without surrogates and noncharacters (a trailing NUL is dropped)
      if (value.length % 2 !== 0) return 'invalid BMPString';
      let end = value.length;
      if (end >= 2 && value[end - 1] === 0 && value[end - 2] === 0) end -= 2;
      for (let i = 0; i < end; i += 2) {
        const point = ((value[i] ?? 0) << 8) | (value[i + 1] ?? 0);
        if (point >= 0xfffe || (point >= 0xfdd0 && point <= 0xfdef) || (point >= 0xd800 && point <= 0xdfff)) {
          return 'invalid BMPString';
        }
      }
      return undefined;
    }
    case 0x16: // IA5String
      return value.every((b) => b < 0x80) ? undefined : 'invalid IA5String';
    case 0x12: // NumericString
      return value.every((b) => (b >= 0x30 && b <= 0x39) || b === 0x20) ? undefined : 'invalid NumericString';
    default:
      return `unsupported string type: ${tag}`;
  }
}

const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether fields parse as Go's time.Parse does and the zone formats back to the same text. */
function validTime(year: number, f: number[], zone: string): boolean {
  const [month = 0, day = 0, hour = 0, min = 0, sec = 0] = f;
  if (month < 1 || month > 12 || hour > 23 || min > 59 || sec > 59) return false;
  const days = month === 2 && isLeap(year) ? 29 : (DAYS[month - 1] ?? 0);
  if (day < 1 || day > days) return false;
  if (zone === 'Z') return true;
  const zh = Number(zone.slice(1, 3));
  const zm = Number(zone.slice(3, 5));
  // Go formats a zero offset as Z, and rejects an offset hour above 24.
  return zh <= 24 && zm <= 59 && zh * 60 + zm !== 0;
}

/** ReadASN1UTCTime: YYMMDDhhmm[ss] and Z or ±hhmm. */
export function validUtcTime(text: string): boolean {
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(Z|[+-]\d{4})$/.exec(text);
  if (m === null) return false;
  const yy = Number(m[1]);
  const fields = [m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  return validTime(yy >= 69 ? 1900 + yy : 2000 + yy, fields, m[7] ?? '');
}

/** ReadASN1GeneralizedTime: YYYYMMDDhhmmss and Z or ±hhmm. */
export function validGeneralizedTime(text: string): boolean {
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(Z|[+-]\d{4})$/.exec(text);
  if (m === null) return false;
  return validTime(Number(m[1]), [m[2], m[3], m[4], m[5], m[6]].map(Number), m[7] ?? '');
}
