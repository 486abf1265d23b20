/**
 * Standard base64 with padding, checked in one pass over the characters: Buffer.from(…, 'base64')
 * alone accepts anything and drops what it cannot read, and a regular expression over a body of
 * megabytes costs more than the scan. Returns what is wrong, naming the character, or undefined.
 */
export function base64Problem(text: string): string | undefined {
  if (text.length % 4 !== 0) return `length ${text.length} is not a multiple of 4`;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const end = text.length - padding;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
    if (!ok) return `character ${i} (${JSON.stringify(text[i])}) is outside the base64 alphabet`;
  }
  return undefined;
}

export const isBase64 = (text: string): boolean => base64Problem(text) === undefined;
