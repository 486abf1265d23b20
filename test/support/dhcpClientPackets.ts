import { BOOTREQUEST, HTYPE_ETHERNET, Option } from '../../dhcp/dhcpv4/dhcpPacket.js';
import { encodeDhcpPacket, optionValue, type EncodableOptions } from '../../dhcp/dhcpv4/encodeDhcpPacket.js';

export interface ClientPacketFields {
  type: number;
  mac?: string;
  xid?: number;
  secs?: number;
  flags?: number;
  ciaddr?: string;
  giaddr?: string;
  options?: EncodableOptions;
}

/** A client's DHCP message on the wire, as a real client would build it. */
export function clientPacket(fields: ClientPacketFields): Buffer {
  const chaddr = Buffer.alloc(16);
  Buffer.from((fields.mac ?? 'aa:bb:cc:dd:ee:01').replace(/:/g, ''), 'hex').copy(chaddr);
  return encodeDhcpPacket(
    {
      op: BOOTREQUEST,
      htype: HTYPE_ETHERNET,
      hlen: 6,
      hops: 0,
      xid: fields.xid ?? 0x1234abcd,
      secs: fields.secs ?? 0,
      flags: fields.flags ?? 0,
      ciaddr: fields.ciaddr ?? '0.0.0.0',
      yiaddr: '0.0.0.0',
      siaddr: '0.0.0.0',
      giaddr: fields.giaddr ?? '0.0.0.0',
      chaddr,
      sname: '',
      file: '',
      options: [[Option.MessageType, optionValue.uint8(fields.type)], ...(fields.options ?? [])],
    },
    1500,
  );
}

export const pxeBiosOptions: [number, Buffer][] = [
  [Option.VendorClassIdentifier, optionValue.text('PXEClient:Arch:00000:UNDI:002001')],
  [Option.ClientSystemArchitecture, Buffer.from([0, 0])],
  [Option.ClientNetworkInterface, Buffer.from([1, 2, 1])],
  [Option.ClientMachineIdentifier, Buffer.concat([Buffer.from([0]), Buffer.alloc(16, 7)])],
];
