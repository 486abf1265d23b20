import {
  BOOTREQUEST,
  BOOTREPLY,
  DHCP_HEADER_LENGTH,
  DHCP_MAGIC_COOKIE,
  DHCP_OPTIONS_OFFSET,
  HTYPE_ETHERNET,
  Option,
  type DhcpPacket,
} from './dhcpPacket.js';

/** Why a datagram was not accepted as a DHCP message; each reason has its own counter. */
export type DhcpDropReason =
  | 'too-short'
  | 'bad-op'
  | 'unsupported-hardware'
  | 'bad-magic-cookie'
  | 'option-overrun'
  | 'missing-end-option'
  | 'bad-overload'
  | 'bad-option-length'
  | 'bad-option-value';

/**
 * A malformed DHCP datagram; `offset` is the byte where decoding stopped. Malformed packets are
 * routine on a shared network, so no stack trace is captured: it would cost more than decoding.
 */
export class DhcpDecodeError extends Error {
  readonly reason: DhcpDropReason;
  readonly offset: number;

  constructor(reason: DhcpDropReason, offset: number, detail: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`DHCP packet dropped (${reason}) at byte ${offset}: ${detail}`);
    Error.stackTraceLimit = limit;
    this.name = 'DhcpDecodeError';
    this.reason = reason;
    this.offset = offset;
  }
}

export type DhcpDecodeResult = { ok: true; packet: DhcpPacket } | { ok: false; error: DhcpDecodeError };

/** Length rules for the options this server reads or answers (RFC 2132, 3004, 4578, 3046). */
interface LengthRule {
  min: number;
  max?: number;
  multipleOf?: number;
}
const LENGTH_RULES = new Map<number, LengthRule>([
  [Option.SubnetMask, { min: 4, max: 4 }],
  [Option.Router, { min: 4, multipleOf: 4 }],
  [Option.DomainNameServer, { min: 4, multipleOf: 4 }],
  [Option.HostName, { min: 1 }],
  [Option.DomainName, { min: 1 }],
  [Option.BroadcastAddress, { min: 4, max: 4 }],
  [Option.NtpServers, { min: 4, multipleOf: 4 }],
  [Option.VendorSpecific, { min: 1 }],
  [Option.RequestedIpAddress, { min: 4, max: 4 }],
  [Option.LeaseTime, { min: 4, max: 4 }],
  [Option.Overload, { min: 1, max: 1 }],
  [Option.MessageType, { min: 1, max: 1 }],
  [Option.ServerIdentifier, { min: 4, max: 4 }],
  [Option.ParameterRequestList, { min: 1 }],
  [Option.MaxMessageSize, { min: 2, max: 2 }],
  [Option.RenewalTime, { min: 4, max: 4 }],
  [Option.RebindingTime, { min: 4, max: 4 }],
  [Option.VendorClassIdentifier, { min: 1 }],
  [Option.ClientIdentifier, { min: 2 }],
  [Option.TftpServerName, { min: 1 }],
  [Option.BootfileName, { min: 1 }],
  [Option.UserClass, { min: 1 }],
  [Option.RelayAgentInformation, { min: 2 }],
  [Option.ClientSystemArchitecture, { min: 2, multipleOf: 2 }],
  [Option.ClientNetworkInterface, { min: 3, max: 3 }],
  [Option.ClientMachineIdentifier, { min: 1, max: 17 }],
]);

export function ipv4At(buf: Buffer, offset: number): string {
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
}

/** A NUL-terminated (or field-filling) ASCII string from a fixed-size header field. */
function fieldString(buf: Buffer, start: number, length: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString('latin1', start, end === -1 || end > start + length ? start + length : end);
}

/**
 * Walks one option area (options field, or `file`/`sname` when overloaded) and appends to
 * `into`. Every area must close with the End option (RFC 2131 §4.1); nothing is read past
 * `end`.
 */
interface OptionChunks {
  offset: number;
  parts: Buffer[];
}

function readOptionArea(
  buf: Buffer,
  start: number,
  end: number,
  into: Map<number, OptionChunks>,
  allowOverload: boolean,
): void {
  let i = start;
  while (i < end) {
    const code = buf[i] ?? Option.End;
    if (code === Option.End) return;
    if (code === Option.Pad) {
      i++;
      continue;
    }
    if (i + 1 >= end) throw new DhcpDecodeError('option-overrun', i, `option ${code} has no length octet`);
    const length = buf[i + 1] ?? 0;
    if (i + 2 + length > end) {
      throw new DhcpDecodeError(
        'option-overrun',
        i,
        `option ${code} claims ${length} octets but only ${end - i - 2} remain`,
      );
    }
    if (code === Option.Overload && !allowOverload) {
      throw new DhcpDecodeError('bad-overload', i, 'option 52 may appear only in the options field (RFC 2131 §4.1)');
    }
    const chunks = into.get(code);
    const value = buf.subarray(i + 2, i + 2 + length);
    if (chunks) chunks.parts.push(value);
    else into.set(code, { offset: i, parts: [value] });
    i += 2 + length;
  }
  throw new DhcpDecodeError('missing-end-option', end, 'option area does not close with the End option (255)');
}

function checkOption(code: number, value: Buffer, offset: number): void {
  const rule = LENGTH_RULES.get(code);
  if (rule) {
    const bad =
      value.length < rule.min ||
      (rule.max !== undefined && value.length > rule.max) ||
      (rule.multipleOf !== undefined && value.length % rule.multipleOf !== 0);
    if (bad) throw new DhcpDecodeError('bad-option-length', offset, `option ${code} has length ${value.length}`);
  }
  if (code === Option.MessageType) {
    const type = value[0] ?? 0;
    if (type < 1 || type > 8)
      throw new DhcpDecodeError('bad-option-value', offset, `option 53 has unknown message type ${type}`);
  }
  if (code === Option.MaxMessageSize && value.readUInt16BE(0) < 576) {
    throw new DhcpDecodeError(
      'bad-option-value',
      offset,
      `option 57 is ${value.readUInt16BE(0)}, below the minimum 576 (RFC 2132 §9.10)`,
    );
  }
  // RFC 4578 §2.3: type 0 followed by a 16-octet GUID; PXE 2.1 clients may send only the type.
  if (code === Option.ClientMachineIdentifier && value[0] !== 0) {
    throw new DhcpDecodeError('bad-option-value', offset, 'option 97 must start with type 0');
  }
  if (code === Option.ClientMachineIdentifier && value.length !== 1 && value.length !== 17) {
    throw new DhcpDecodeError('bad-option-length', offset, `option 97 has length ${value.length}, expected 17`);
  }
}

function decodeOrThrow(buf: Buffer): DhcpPacket {
  if (buf.length < DHCP_OPTIONS_OFFSET + 1) {
    throw new DhcpDecodeError(
      'too-short',
      buf.length,
      `${buf.length} octets, a DHCP message needs at least ${DHCP_OPTIONS_OFFSET + 1}`,
    );
  }
  const op = buf.readUInt8(0);
  if (op !== BOOTREQUEST && op !== BOOTREPLY) throw new DhcpDecodeError('bad-op', 0, `op is ${op}`);
  const htype = buf.readUInt8(1);
  const hlen = buf.readUInt8(2);
  if (htype !== HTYPE_ETHERNET || hlen !== 6) {
    throw new DhcpDecodeError('unsupported-hardware', 1, `htype ${htype} hlen ${hlen}; only Ethernet (1, 6) is served`);
  }
  if (buf.readUInt32BE(DHCP_HEADER_LENGTH) !== DHCP_MAGIC_COOKIE) {
    throw new DhcpDecodeError('bad-magic-cookie', DHCP_HEADER_LENGTH, 'not a DHCP message (RFC 2131 §3)');
  }

  const chunks = new Map<number, OptionChunks>();
  readOptionArea(buf, DHCP_OPTIONS_OFFSET, buf.length, chunks, true);
  const overloadChunks = chunks.get(Option.Overload);
  const overload = overloadChunks?.parts.length === 1 ? (overloadChunks.parts[0]?.[0] ?? 0) : 0;
  if (overloadChunks && (overloadChunks.parts.length !== 1 || overload < 1 || overload > 3)) {
    throw new DhcpDecodeError(
      'bad-overload',
      overloadChunks.offset,
      'option 52 must appear once with value 1, 2 or 3 (RFC 2132 §9.3)',
    );
  }
  // RFC 2131 §4.1: options field first, then `file`, then `sname`.
  if (overload & 1) readOptionArea(buf, 108, 236, chunks, false);
  if (overload & 2) readOptionArea(buf, 44, 108, chunks, false);

  const options = new Map<number, Buffer>();
  for (const [code, { offset, parts }] of chunks) {
    const value = parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts);
    checkOption(code, value, offset);
    options.set(code, value);
  }

  return {
    op,
    htype,
    hlen,
    hops: buf.readUInt8(3),
    xid: buf.readUInt32BE(4),
    secs: buf.readUInt16BE(8),
    flags: buf.readUInt16BE(10),
    ciaddr: ipv4At(buf, 12),
    yiaddr: ipv4At(buf, 16),
    siaddr: ipv4At(buf, 20),
    giaddr: ipv4At(buf, 24),
    chaddr: Buffer.from(buf.subarray(28, 44)),
    sname: overload & 2 ? '' : fieldString(buf, 44, 64),
    file: overload & 1 ? '' : fieldString(buf, 108, 128),
    options,
  };
}

/**
 * Decodes one UDP payload as a DHCPv4 message. Never throws: a malformed datagram comes back as
 * `{ ok: false }` with the reason to count, so hostile input cannot reach the socket loop.
 */
export function decodeDhcpPacket(buf: Buffer): DhcpDecodeResult {
  try {
    return { ok: true, packet: decodeOrThrow(buf) };
  } catch (error) {
    if (error instanceof DhcpDecodeError) return { ok: false, error };
    throw error;
  }
}
