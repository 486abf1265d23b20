import { DHCP_MAGIC_COOKIE, DHCP_OPTIONS_OFFSET, DHCP_HEADER_LENGTH, Option, type DhcpPacket } from './dhcpPacket.js';

/** RFC 1542 §3.4 / RFC 951: BOOTP relays and old PXE ROMs expect at least 300 octets. */
const MIN_BOOTP_LENGTH = 300;

/** A reply could not be encoded within the client's limit; names the size and the limit. */
export class DhcpEncodeError extends Error {
  constructor(
    readonly length: number,
    readonly limit: number,
  ) {
    super(
      `DHCP reply is ${length} octets, over the client's limit of ${limit}; drop options or shorten the boot file URL`,
    );
    this.name = 'DhcpEncodeError';
  }
}

/** Options to encode, in order; option 82 is always written last, unchanged (RFC 3046 §2.2). */
export type EncodableOptions = ReadonlyArray<readonly [code: number, value: Buffer]>;

export interface EncodablePacket extends Omit<DhcpPacket, 'options'> {
  options: EncodableOptions;
}

/** Dotted quad to four octets, digit by digit: this runs several times for every reply. */
function writeIpv4(buf: Buffer, offset: number, address: string): void {
  let octet = 0;
  let at = offset;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c === 0x2e) {
      buf[at++] = octet & 0xff;
      octet = 0;
    } else octet = octet * 10 + (c - 0x30);
  }
  buf[at] = octet & 0xff;
}

function optionLength(value: Buffer): number {
  // RFC 3396 §7: longer values are split into consecutive instances of at most 255 octets.
  return value.length === 0 ? 2 : value.length + 2 * Math.ceil(value.length / 255);
}

function writeOption(buf: Buffer, offset: number, code: number, value: Buffer): number {
  let at = offset;
  let start = 0;
  do {
    const chunk = Math.min(255, value.length - start);
    buf[at] = code;
    buf[at + 1] = chunk;
    value.copy(buf, at + 2, start, start + chunk);
    at += 2 + chunk;
    start += chunk;
  } while (start < value.length);
  return at;
}

/**
 * Encodes a DHCP message. `maxLength` is the largest DHCP message (UDP payload) the client takes:
 * option 57 minus the IP and UDP headers, or 548 octets by default (RFC 2131 §2).
 */
export function encodeDhcpPacket(packet: EncodablePacket, maxLength = 548): Buffer {
  const ordered = [
    ...packet.options.filter(([code]) => code !== Option.RelayAgentInformation),
    ...packet.options.filter(([code]) => code === Option.RelayAgentInformation),
  ];
  const optionsLength = ordered.reduce((sum, [, value]) => sum + optionLength(value), 0) + 1;
  const length = Math.max(MIN_BOOTP_LENGTH, DHCP_OPTIONS_OFFSET + optionsLength);
  if (length > maxLength) throw new DhcpEncodeError(length, maxLength);

  const buf = Buffer.alloc(length);
  buf.writeUInt8(packet.op, 0);
  buf.writeUInt8(packet.htype, 1);
  buf.writeUInt8(packet.hlen, 2);
  buf.writeUInt8(packet.hops, 3);
  buf.writeUInt32BE(packet.xid >>> 0, 4);
  buf.writeUInt16BE(packet.secs, 8);
  buf.writeUInt16BE(packet.flags, 10);
  writeIpv4(buf, 12, packet.ciaddr);
  writeIpv4(buf, 16, packet.yiaddr);
  writeIpv4(buf, 20, packet.siaddr);
  writeIpv4(buf, 24, packet.giaddr);
  packet.chaddr.copy(buf, 28, 0, 16);
  buf.write(packet.sname, 44, 63, 'latin1');
  buf.write(packet.file, 108, 127, 'latin1');
  buf.writeUInt32BE(DHCP_MAGIC_COOKIE, DHCP_HEADER_LENGTH);
  let at = DHCP_OPTIONS_OFFSET;
  for (const [code, value] of ordered) at = writeOption(buf, at, code, value);
  buf[at] = Option.End;
  return buf;
}

/** Value builders for the option types we send. */
export const optionValue = {
  ipv4(...addresses: string[]): Buffer {
    const buf = Buffer.alloc(4 * addresses.length);
    addresses.forEach((address, i) => {
      writeIpv4(buf, 4 * i, address);
    });
    return buf;
  },
  uint32(value: number): Buffer {
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(value >>> 0, 0);
    return buf;
  },
  uint8(value: number): Buffer {
    return Buffer.from([value & 0xff]);
  },
  text(value: string): Buffer {
    return Buffer.from(value, 'latin1');
  },
};
