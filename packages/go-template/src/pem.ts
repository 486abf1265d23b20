/**
 * Go's pem.Decode: the first well-formed PEM block in the bytes (its type and base64-decoded
 * contents), or undefined. A block whose END line does not match, whose type line is malformed or
 * whose body is not base64 is skipped as Go skips it.
 */
import { byteString } from './der.js';
import { base64DecodeBytes } from './encoding.js';
import { utf8Decode } from './utf8.js';

export interface PemBlock {
  type: string;
  bytes: Uint8Array;
}

const BEGIN = '\n-----BEGIN ';
const END = '\n-----END ';
const DASHES = '-----';

/** Go's getLine: the line without its newline (and a `\r` before it), trailing spaces and tabs trimmed. */
function getLine(data: string): { line: string; rest: string; consumed: number } {
  let i = data.indexOf('\n');
  let j: number;
  if (i < 0) {
    i = data.length;
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] === '\r') i--;
  }
  return { line: data.slice(0, i).replace(/[ \t]+$/, ''), rest: data.slice(j), consumed: j };
}

/** Decodes the first PEM block of `data` (bytes, as a string of byte values 0–255). */
function decode(data: string): PemBlock | undefined {
  let rest = data;
  let endTrailerIndex = 0;
  for (;;) {
    if (endTrailerIndex < 0 || endTrailerIndex > rest.length) return undefined;
    rest = rest.slice(endTrailerIndex);
    // The first END line, then the last BEGIN line before it.
    let endIndex = rest.indexOf(END);
    if (endIndex < 0) return undefined;
    endTrailerIndex = endIndex + END.length;
    const beginIndex = rest.lastIndexOf(BEGIN.slice(1), endIndex - 1);
    if (beginIndex < 0 || (beginIndex > 0 && rest[beginIndex - 1] !== '\n')) continue;
    const skip = beginIndex + BEGIN.length - 1;
    rest = rest.slice(skip);
    endIndex -= skip;
    endTrailerIndex -= skip;

    const typeLine = getLine(rest);
    rest = typeLine.rest;
    endIndex -= typeLine.consumed;
    endTrailerIndex -= typeLine.consumed;
    if (!typeLine.line.endsWith(DASHES)) continue;
    const type = typeLine.line.slice(0, -DASHES.length);

    let headers = 0;
    let truncated = false;
    for (;;) {
      if (rest.length === 0) {
        truncated = true;
        break;
      }
      const { line, rest: next, consumed } = getLine(rest);
      if (!line.includes(':')) break;
      headers++;
      rest = next;
      endIndex -= consumed;
      endTrailerIndex -= consumed;
    }
    if (truncated) return undefined;
    if (headers > 0 && endIndex < 0) continue;

    const trailerLen = type.length + DASHES.length;
    const endTrailer = rest.slice(endTrailerIndex);
    if (endTrailer.length < trailerLen) continue;
    const trailer = endTrailer.slice(0, trailerLen);
    if (!trailer.startsWith(type) || !trailer.endsWith(DASHES)) continue;
    if (getLine(endTrailer.slice(trailerLen)).line.length !== 0) continue;

    let bytes: Uint8Array = new Uint8Array(0);
    if (endIndex > 0) {
      try {
        bytes = base64DecodeBytes(rest.slice(0, endIndex).replace(/[ \t]/g, ''));
      } catch {
        continue;
      }
    }
    return { type, bytes };
  }
}

/** pem.Decode of raw bytes. */
export function pemDecode(data: Uint8Array): PemBlock | undefined {
  const block = decode(byteString(data));
  if (block === undefined) return undefined;
  // The type is bytes too; templates see it as UTF-8 text (in error messages).
  return { type: utf8Decode(Uint8Array.from(block.type, (c) => c.charCodeAt(0))), bytes: block.bytes };
}
