/**
 * A reader of DER (ASN.1's distinguished encoding) with the rules of Go's cryptobyte, which Go's x509
 * parsers use: single-octet tags, minimal definite lengths, minimal INTEGERs. Each read returns
 * undefined where cryptobyte's returns false, so the parsers can fail with Go's messages.
 */

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
} as const;

/** A context-specific tag `[n]`, constructed or not. */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

export class Der {
  constructor(private bytes: Uint8Array) {}

  empty(): boolean {
    return this.bytes.length === 0;
  }

  /** The bytes not read yet. */
  rest(): Uint8Array {
    return this.bytes;
  }

  peekTag(tag: number): boolean {
    return this.bytes.length > 0 && this.bytes[0] === tag;
  }

  /** The next element's tag, header length and total length, or undefined when it is malformed. */
  private header(): { tag: number; headerLen: number; length: number } | undefined {
    const b = this.bytes;
    if (b.length < 2) return undefined;
    const tag = b[0] ?? 0;
    const lenByte = b[1] ?? 0;
    if ((tag & 0x1f) === 0x1f) return undefined;
    if ((lenByte & 0x80) === 0) return { tag, headerLen: 2, length: 2 + lenByte };
    const lenLen = lenByte & 0x7f;
    if (lenLen === 0 || lenLen > 4 || b.length < 2 + lenLen) return undefined;
    let len = 0;
    for (let i = 0; i < lenLen; i++) len = len * 256 + (b[2 + i] ?? 0);
    // DER: the shortest length form.
    if (len < 128 || (b[2] ?? 0) === 0) return undefined;
    return { tag, headerLen: 2 + lenLen, length: 2 + lenLen + len };
  }

  /** The next element with any tag: its tag, its contents and the whole element. */
  readAny(): { tag: number; contents: Uint8Array; element: Uint8Array } | undefined {
    const h = this.header();
    if (h === undefined || h.length > this.bytes.length) return undefined;
    const element = this.bytes.subarray(0, h.length);
    this.bytes = this.bytes.subarray(h.length);
    return { tag: h.tag, contents: element.subarray(h.headerLen), element };
  }

  /** The next element's contents when it has `tag`. */
  read(tag: number): Der | undefined {
    const e = this.readElementBytes(tag);
    return e === undefined ? undefined : new Der(e.contents);
  }

  /** The next element, header included, when it has `tag` (Go's ReadASN1Element). */
  readElement(tag: number): Uint8Array | undefined {
    return this.readElementBytes(tag)?.element;
  }

  private readElementBytes(tag: number): { contents: Uint8Array; element: Uint8Array } | undefined {
    if (!this.peekTag(tag)) return undefined;
    return this.readAny();
  }

  /** Skips an element with `tag` if one is next; false when it is malformed. */
  skipOptional(tag: number): boolean {
    return !this.peekTag(tag) || this.readAny() !== undefined;
  }

  /** A minimally encoded INTEGER. */
  readInteger(): bigint | undefined {
    const e = this.readElementBytes(TAG.INTEGER);
    if (e === undefined) return undefined;
    const c = e.contents;
    if (c.length === 0) return undefined;
    const [b0 = 0, b1 = 0] = c;
    if (c.length > 1 && ((b0 === 0 && (b1 & 0x80) === 0) || (b0 === 0xff && (b1 & 0x80) === 0x80))) return undefined;
    let n = 0n;
    for (const byte of c) n = (n << 8n) | BigInt(byte);
    return (b0 & 0x80) !== 0 ? n - (1n << BigInt(8 * c.length)) : n;
  }

  /** An OBJECT IDENTIFIER whose contents decode (base-128 components, minimal), as its DER contents. */
  readOid(): Uint8Array | undefined {
    const e = this.readElementBytes(TAG.OID);
    if (e === undefined) return undefined;
    const c = e.contents;
    if (c.length === 0 || ((c[c.length - 1] ?? 0) & 0x80) !== 0) return undefined;
    for (let i = 0; i < c.length; i++) {
      // A component may not start with a 0x80 octet (a non-minimal encoding).
      const starts = i === 0 || ((c[i - 1] ?? 0) & 0x80) === 0;
      if (starts && c[i] === 0x80) return undefined;
    }
    return c;
  }

  /** A BOOLEAN (DER: 0x00 or 0xff). */
  readBoolean(): boolean | undefined {
    const e = this.readElementBytes(TAG.BOOLEAN);
    if (e?.contents.length !== 1) return undefined;
    const v = e.contents[0];
    return v === 0 ? false : v === 0xff ? true : undefined;
  }

  /** A BIT STRING with valid padding: its bytes (the padding bits are zero). */
  readBitString(): Uint8Array | undefined {
    const e = this.readElementBytes(TAG.BIT_STRING);
    if (e === undefined || e.contents.length === 0) return undefined;
    const padding = e.contents[0] ?? 0;
    const bytes = e.contents.subarray(1);
    if (padding > 7 || (bytes.length === 0 && padding !== 0)) return undefined;
    if (bytes.length > 0 && ((bytes[bytes.length - 1] ?? 0) & ((1 << padding) - 1)) !== 0) return undefined;
    return bytes;
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** An OID's dotted form, as Go prints it. */
export function oidString(der: Uint8Array): string {
  const parts: bigint[] = [];
  let v = 0n;
  for (const b of der) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      parts.push(v);
      v = 0n;
    }
  }
  const [first = 0n, ...rest] = parts;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...rest].join('.');
}

/** Bytes as a string of the same code units (0–255), e.g. ASCII text in a certificate. */
export function byteString(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}
