import { describe, expect, it } from 'vitest';
import { decodeDhcpPacket } from '../../../../dhcp/dhcpv4/decodeDhcpPacket.js';
import { MessageType, Option, macFromChaddr } from '../../../../dhcp/dhcpv4/dhcpPacket.js';
import { DhcpEncodeError, optionValue } from '../../../../dhcp/dhcpv4/encodeDhcpPacket.js';
import { clientPacket, pxeBiosOptions } from '../../../support/dhcpClientPackets.js';

function decodeOk(buf: Buffer) {
  const result = decodeDhcpPacket(buf);
  if (!result.ok) throw result.error;
  return result.packet;
}

function dropReason(buf: Buffer): string | undefined {
  const result = decodeDhcpPacket(buf);
  return result.ok ? undefined : result.error.reason;
}

/** Offset of the first option after the message type (53, 1, x). */
const AFTER_TYPE = 243;

describe('decodeDhcpPacket', () => {
  it('reads the header and the options a PXE ROM sends', () => {
    const packet = decodeOk(
      clientPacket({ type: MessageType.Discover, mac: 'AA:BB:CC:DD:EE:01', flags: 0x8000, options: pxeBiosOptions }),
    );
    expect(packet.op).toBe(1);
    expect(packet.xid).toBe(0x1234abcd);
    expect(packet.flags).toBe(0x8000);
    expect(macFromChaddr(packet.chaddr)).toBe('aa:bb:cc:dd:ee:01');
    expect(packet.options.get(Option.MessageType)).toEqual(Buffer.from([1]));
    expect(packet.options.get(Option.VendorClassIdentifier)?.toString()).toBe('PXEClient:Arch:00000:UNDI:002001');
    expect(packet.options.get(Option.ClientSystemArchitecture)).toEqual(Buffer.from([0, 0]));
  });

  it('concatenates an option split over several instances (RFC 3396)', () => {
    const long = Buffer.alloc(300, 0x41);
    const packet = decodeOk(
      clientPacket({ type: MessageType.Discover, options: [[Option.VendorClassIdentifier, long]] }),
    );
    expect(packet.options.get(Option.VendorClassIdentifier)).toEqual(long);
  });

  it('reads options from the file and sname fields when option 52 overloads them', () => {
    const buf = clientPacket({ type: MessageType.Discover, options: [[Option.Overload, optionValue.uint8(3)]] });
    Buffer.from([Option.HostName, 2, 0x61, 0x62, 255]).copy(buf, 108);
    Buffer.from([Option.VendorClassIdentifier, 1, 0x78, 255]).copy(buf, 44);
    const packet = decodeOk(buf);
    expect(packet.options.get(Option.HostName)?.toString()).toBe('ab');
    expect(packet.options.get(Option.VendorClassIdentifier)?.toString()).toBe('x');
    expect(packet.file).toBe('');
    expect(packet.sname).toBe('');
  });

  it.each([
    ['too-short', (b: Buffer) => b.subarray(0, 200)],
    ['bad-op', (b: Buffer) => b.fill(7, 0, 1)],
    ['unsupported-hardware', (b: Buffer) => b.fill(16, 2, 3)],
    ['bad-magic-cookie', (b: Buffer) => b.fill(0, 236, 240)],
    ['missing-end-option', (b: Buffer) => b.subarray(0, AFTER_TYPE)],
    ['option-overrun', (b: Buffer) => Buffer.concat([b.subarray(0, AFTER_TYPE), Buffer.from([60, 50, 1, 2])])],
    ['option-overrun', (b: Buffer) => Buffer.concat([b.subarray(0, AFTER_TYPE), Buffer.from([60])])],
    [
      'bad-option-length',
      (b: Buffer) => Buffer.concat([b.subarray(0, AFTER_TYPE), Buffer.from([54, 3, 1, 2, 3, 255])]),
    ],
    [
      'bad-option-length',
      (b: Buffer) => Buffer.concat([b.subarray(0, AFTER_TYPE), Buffer.from([93, 3, 0, 0, 7, 255])]),
    ],
    ['bad-option-value', (b: Buffer) => b.fill(9, 242, 243)],
    ['bad-option-value', (b: Buffer) => Buffer.concat([b.subarray(0, AFTER_TYPE), Buffer.from([57, 2, 1, 0, 255])])],
    ['bad-overload', (b: Buffer) => Buffer.concat([b.subarray(0, AFTER_TYPE), Buffer.from([52, 1, 4, 255])])],
    ['missing-end-option', (b: Buffer) => Buffer.concat([b.subarray(0, AFTER_TYPE), Buffer.from([52, 1, 1, 255])])],
  ])('drops a packet with reason %s', (reason, corrupt) => {
    expect(dropReason(corrupt(clientPacket({ type: MessageType.Discover })))).toBe(reason);
  });

  it('names the byte offset where decoding stopped', () => {
    const buf = Buffer.concat([clientPacket({ type: 1 }).subarray(0, AFTER_TYPE), Buffer.from([60, 50])]);
    const result = decodeDhcpPacket(buf);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(`at byte ${AFTER_TYPE}`);
  });
});

describe('encodeDhcpPacket', () => {
  it('round-trips, pads to 300 octets and writes option 82 last', () => {
    const relay = Buffer.from([1, 3, 0x65, 0x74, 0x68]);
    const buf = clientPacket({
      type: MessageType.Request,
      options: [
        [Option.RelayAgentInformation, relay],
        [Option.HostName, optionValue.text('node')],
      ],
    });
    expect(buf.length).toBe(300);
    const at82 = buf.indexOf(Buffer.from([82, 5]), 240);
    const atEnd = buf.indexOf(255, 240);
    expect(at82 + 7).toBe(atEnd);
    expect(decodeOk(buf).options.get(Option.RelayAgentInformation)).toEqual(relay);
  });

  it('refuses a reply larger than the client accepts', () => {
    expect(() => clientPacket({ type: 1, options: [[Option.VendorClassIdentifier, Buffer.alloc(1400)]] })).toThrow(
      DhcpEncodeError,
    );
  });
});
