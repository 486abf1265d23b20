/**
 * The DHCPv4 message model shared by the decoder, the encoder and the reply logic
 * (RFC 2131 §2, RFC 2132 option codes).
 */

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
export const HTYPE_ETHERNET = 1;

/** RFC 2131 §2: the fixed BOOTP header is 236 octets; the magic cookie follows. */
export const DHCP_HEADER_LENGTH = 236;
export const DHCP_MAGIC_COOKIE = 0x63825363;
export const DHCP_OPTIONS_OFFSET = DHCP_HEADER_LENGTH + 4;
/** RFC 2131 §2: the broadcast bit is the leftmost bit of `flags`. */
export const BROADCAST_FLAG = 0x8000;

/** Option 53 values (RFC 2132 §9.6). */
export const MessageType = {
  Discover: 1,
  Offer: 2,
  Request: 3,
  Decline: 4,
  Ack: 5,
  Nak: 6,
  Release: 7,
  Inform: 8,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const Option = {
  Pad: 0,
  SubnetMask: 1,
  Router: 3,
  DomainNameServer: 6,
  HostName: 12,
  DomainName: 15,
  BroadcastAddress: 28,
  NtpServers: 42,
  VendorSpecific: 43,
  RequestedIpAddress: 50,
  LeaseTime: 51,
  Overload: 52,
  MessageType: 53,
  ServerIdentifier: 54,
  ParameterRequestList: 55,
  MaxMessageSize: 57,
  RenewalTime: 58,
  RebindingTime: 59,
  VendorClassIdentifier: 60,
  ClientIdentifier: 61,
  TftpServerName: 66,
  BootfileName: 67,
  UserClass: 77,
  RelayAgentInformation: 82,
  ClientSystemArchitecture: 93,
  ClientNetworkInterface: 94,
  ClientMachineIdentifier: 97,
  IpxeEncapsulated: 175,
  End: 255,
} as const;

/**
 * Options keep their wire bytes; a code that appeared several times is one entry with the
 * values concatenated in order (RFC 3396 §5). Map iteration order is first-appearance order.
 */
export type DhcpOptions = ReadonlyMap<number, Buffer>;

export interface DhcpPacket {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** The 16-octet client hardware address field, as sent. */
  chaddr: Buffer;
  /** Server host name, when the field carries a string rather than overloaded options. */
  sname: string;
  /** Boot file name, when the field carries a string rather than overloaded options. */
  file: string;
  options: DhcpOptions;
}

export const ZERO_ADDRESS = '0.0.0.0';
export const BROADCAST_ADDRESS = '255.255.255.255';

/** `aa:bb:cc:dd:ee:ff` (lower case) from an Ethernet chaddr. */
export function macFromChaddr(chaddr: Buffer): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push((chaddr[i] ?? 0).toString(16).padStart(2, '0'));
  return parts.join(':');
}

/** Lower-case, colon-separated form of a MAC address, or undefined when it is not one. */
export function normalizeMac(mac: string): string | undefined {
  const hex = mac.trim().toLowerCase().replace(/[:-]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  return hex.match(/../g)?.join(':');
}
