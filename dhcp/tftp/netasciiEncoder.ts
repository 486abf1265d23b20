/**
 * RFC 1350 netascii, converted as the transfer streams: LF is sent as CR LF and a bare CR as CR NUL
 * (RFC 764's NVT rules, which RFC 1350 refers to). One input byte may become two output bytes, so an
 * expansion can straddle the end of a target (a DATA block); its second byte is held as `pending`
 * and written first into the next target. Pure: no I/O, the state is the pending byte.
 */
export class NetasciiEncoder {
  /** The second byte of an expansion that did not fit in the last target, or -1. */
  pending = -1;

  /**
   * Converts from `input` into `target` until either is used up; returns the input bytes consumed
   * and the output bytes written. The pending byte, when there is one, is written first.
   */
  encode(input: Buffer, target: Buffer): { read: number; written: number } {
    let out = 0;
    if (this.pending >= 0 && target.length > 0) {
      target[out++] = this.pending;
      this.pending = -1;
    }
    let read = 0;
    while (read < input.length && out < target.length && this.pending < 0) {
      const byte = input[read++] as number;
      if (byte === 0x0a || byte === 0x0d) {
        target[out++] = 0x0d;
        const second = byte === 0x0a ? 0x0a : 0x00;
        if (out < target.length) target[out++] = second;
        else this.pending = second;
      } else {
        target[out++] = byte;
      }
    }
    return { read, written: out };
  }
}

/** The netascii length of `input`: each CR and LF adds one byte. */
export function netasciiExpansion(input: Buffer): number {
  let extra = 0;
  for (const byte of input) if (byte === 0x0a || byte === 0x0d) extra++;
  return extra;
}
