/** TFTP wire format (RFC 1350 §5, RFC 2347 option extension). Pure: no sockets, no files. */

export const TftpOpcode = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;

/** RFC 1350 §5 error codes, plus 8 from RFC 2347. */
export const TftpErrorCode = {
  NotDefined: 0,
  FileNotFound: 1,
  AccessViolation: 2,
  DiskFull: 3,
  IllegalOperation: 4,
  UnknownTransferId: 5,
  FileExists: 6,
  NoSuchUser: 7,
  OptionRefused: 8,
} as const;

/** RFC 2347 §2: a request packet, options included, must fit in 512 octets. */
export const MAX_REQUEST_LENGTH = 512;

export type TftpPacket =
  | { opcode: 1 | 2; filename: string; mode: string; options: ReadonlyMap<string, string> }
  | { opcode: 3; block: number; data: Buffer }
  | { opcode: 4; block: number }
  | { opcode: 5; code: number; message: string }
  | { opcode: 6; options: ReadonlyMap<string, string> };

export type TftpDropReason =
  'too-short' | 'bad-opcode' | 'too-long' | 'unterminated-string' | 'bad-mode' | 'bad-options' | 'bad-length';

/**
 * A malformed TFTP datagram; `offset` is the byte where decoding stopped. Malformed packets are
 * routine on a shared network, so no stack trace is captured: it would cost more than decoding.
 */
export class TftpDecodeError extends Error {
  readonly reason: TftpDropReason;
  readonly offset: number;

  constructor(reason: TftpDropReason, offset: number, detail: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`TFTP packet dropped (${reason}) at byte ${offset}: ${detail}`);
    Error.stackTraceLimit = limit;
    this.name = 'TftpDecodeError';
    this.reason = reason;
    this.offset = offset;
  }
}

export type TftpDecodeResult = { ok: true; packet: TftpPacket } | { ok: false; error: TftpDecodeError };

/** NUL-terminated strings from `start` to the end of the packet; every string must be terminated. */
function readStrings(buf: Buffer, start: number): string[] {
  const strings: string[] = [];
  let at = start;
  while (at < buf.length) {
    const end = buf.indexOf(0, at);
    if (end === -1) throw new TftpDecodeError('unterminated-string', at, 'string is not NUL-terminated');
    strings.push(buf.toString('latin1', at, end));
    at = end + 1;
  }
  return strings;
}

function readOptions(pairs: string[], offset: number): Map<string, string> {
  if (pairs.length % 2 !== 0) throw new TftpDecodeError('bad-options', offset, 'option name without a value');
  const options = new Map<string, string>();
  for (let i = 0; i < pairs.length; i += 2) {
    const name = (pairs[i] ?? '').toLowerCase();
    // RFC 2347: option names are case-insensitive; a repeated option is ambiguous.
    if (name === '' || options.has(name))
      throw new TftpDecodeError('bad-options', offset, `empty or repeated option "${name}"`);
    options.set(name, pairs[i + 1] ?? '');
  }
  return options;
}

function decodeOrThrow(buf: Buffer): TftpPacket {
  if (buf.length < 4) throw new TftpDecodeError('too-short', buf.length, `${buf.length} octets`);
  const opcode = buf.readUInt16BE(0);
  switch (opcode) {
    case TftpOpcode.RRQ:
    case TftpOpcode.WRQ: {
      if (buf.length > MAX_REQUEST_LENGTH)
        throw new TftpDecodeError('too-long', MAX_REQUEST_LENGTH, `request is ${buf.length} octets`);
      const [filename, mode, ...pairs] = readStrings(buf, 2);
      if (filename === undefined || mode === undefined)
        throw new TftpDecodeError('unterminated-string', 2, 'request needs a file name and a mode');
      const lowerMode = mode.toLowerCase();
      if (lowerMode !== 'octet' && lowerMode !== 'netascii' && lowerMode !== 'mail') {
        throw new TftpDecodeError('bad-mode', 2 + filename.length + 1, `mode "${mode}"`);
      }
      return { opcode, filename, mode: lowerMode, options: readOptions(pairs, 2) };
    }
    case TftpOpcode.DATA:
      return { opcode, block: buf.readUInt16BE(2), data: buf.subarray(4) };
    case TftpOpcode.ACK:
      if (buf.length !== 4) throw new TftpDecodeError('bad-length', 4, `ACK is ${buf.length} octets, expected 4`);
      return { opcode, block: buf.readUInt16BE(2) };
    case TftpOpcode.ERROR: {
      const [message] = buf.length > 4 ? readStrings(buf, 4) : [''];
      return { opcode, code: buf.readUInt16BE(2), message: message ?? '' };
    }
    case TftpOpcode.OACK:
      return { opcode, options: readOptions(readStrings(buf, 2), 2) };
    default:
      throw new TftpDecodeError('bad-opcode', 0, `opcode ${opcode}`);
  }
}

/** Decodes one TFTP datagram. Never throws: malformed input comes back with a reason to count. */
export function decodeTftpPacket(buf: Buffer): TftpDecodeResult {
  try {
    return { ok: true, packet: decodeOrThrow(buf) };
  } catch (error) {
    if (error instanceof TftpDecodeError) return { ok: false, error };
    throw error;
  }
}

export function encodeTftpData(block: number, data: Buffer): Buffer {
  const buf = Buffer.allocUnsafe(4 + data.length);
  buf.writeUInt16BE(TftpOpcode.DATA, 0);
  buf.writeUInt16BE(block & 0xffff, 2);
  data.copy(buf, 4);
  return buf;
}

export function encodeTftpAck(block: number): Buffer {
  const buf = Buffer.alloc(4);
  buf.writeUInt16BE(TftpOpcode.ACK, 0);
  buf.writeUInt16BE(block & 0xffff, 2);
  return buf;
}

export function encodeTftpError(code: number, message: string): Buffer {
  const text = Buffer.from(message.replace(/\0/g, ''), 'latin1');
  const buf = Buffer.alloc(5 + text.length);
  buf.writeUInt16BE(TftpOpcode.ERROR, 0);
  buf.writeUInt16BE(code, 2);
  text.copy(buf, 4);
  return buf;
}

function encodeStrings(opcode: number, strings: string[]): Buffer {
  return Buffer.concat([
    Buffer.from([opcode >> 8, opcode & 0xff]),
    ...strings.map((s) => Buffer.from(`${s.replace(/\0/g, '')}\0`, 'latin1')),
  ]);
}

export function encodeTftpOack(options: ReadonlyMap<string, string>): Buffer {
  return encodeStrings(TftpOpcode.OACK, [...options].flat());
}

export function encodeTftpRequest(
  opcode: 1 | 2,
  filename: string,
  mode: string,
  options: ReadonlyMap<string, string> = new Map(),
): Buffer {
  return encodeStrings(opcode, [filename, mode, ...[...options].flat()]);
}
