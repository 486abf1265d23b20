import type { BootHost } from '../hosts/bootHost.js';
import { chooseBootFile, type BootDecision, type BootSettings } from './chooseBootFile.js';
import {
  BOOTREPLY,
  BOOTREQUEST,
  BROADCAST_FLAG,
  MessageType,
  Option,
  ZERO_ADDRESS,
  macFromChaddr,
  type DhcpPacket,
} from './dhcpPacket.js';
import { ipv4At } from './decodeDhcpPacket.js';
import { optionValue, type EncodablePacket } from './encodeDhcpPacket.js';
import type { HostLookup } from '../hosts/hostLookup.js';
import { replyDestination, type ReplyDestination } from './replyDestination.js';

export interface DhcpSettings extends BootSettings {
  /** `dhcp.serverIP`: option 54 and the TFTP next-server. */
  serverIp: string;
  serverPort: number;
  clientPort: number;
  leaseSeconds: number;
}

/** Why a request got no reply; each reason has its own counter. */
export type IgnoreReason =
  | 'not-a-request'
  | 'no-message-type'
  | 'unknown-mac'
  | 'unusable-host'
  | 'other-server'
  | 'bad-request-state'
  | 'release'
  | 'decline'
  | 'reply-too-long';

export type DhcpOutcome =
  | {
      kind: 'reply';
      messageType: MessageType;
      packet: EncodablePacket;
      destination: ReplyDestination;
      /** Largest DHCP message the client accepts (option 57 less IP and UDP headers). */
      maxLength: number;
      host: BootHost;
      boot: BootDecision;
    }
  | { kind: 'ignored'; reason: IgnoreReason; mac: string; host?: string; detail?: string };

type Options = readonly (readonly [number, Buffer])[];

/**
 * Most of a reply's option values are the same in every reply: built once and shared (encoding only
 * reads them). Per host in a WeakMap, since a changed host is a new BootHost; per server setting in
 * small maps, as a server has one of each.
 */
const networkOptionsOf = new WeakMap<BootHost, Options>();
const leaseOptionsOf = new Map<number, Options>();
const serverIdentifierOf = new Map<string, Buffer>();
const messageTypeValues = new Map<number, Buffer>();

function cached<K, V>(
  cache: { get(key: K): V | undefined; set(key: K, value: V): unknown },
  key: K,
  build: () => V,
): V {
  const found = cache.get(key);
  if (found !== undefined) return found;
  const value = build();
  cache.set(key, value);
  return value;
}

/** RFC 2131 §4.4.5 defaults: T1 at half the lease, T2 at seven eighths. */
function leaseOptions(seconds: number): Options {
  return cached(leaseOptionsOf, seconds, () => [
    [Option.LeaseTime, optionValue.uint32(seconds)],
    [Option.RenewalTime, optionValue.uint32(Math.floor(seconds / 2))],
    [Option.RebindingTime, optionValue.uint32(Math.floor((seconds * 7) / 8))],
  ]);
}

/** PXE spec option 43 sub-option 6 = 8: skip boot-server discovery and use the boot file given. */
const PXE_DISCOVERY_CONTROL = Buffer.from([6, 1, 8, 255]);

function bootOptions(
  boot: BootDecision,
  serverIp: string,
): { file: string; siaddr: string; options: [number, Buffer][] } {
  switch (boot.kind) {
    case 'pxe-tftp':
      return {
        file: boot.file,
        siaddr: serverIp,
        options: [
          [Option.TftpServerName, optionValue.text(serverIp)],
          [Option.BootfileName, optionValue.text(boot.file)],
          [Option.VendorClassIdentifier, optionValue.text('PXEClient')],
          [Option.VendorSpecific, PXE_DISCOVERY_CONTROL],
        ],
      };
    case 'ipxe-script':
    case 'uefi-http': {
      const url = boot.url;
      const options: [number, Buffer][] = [[Option.BootfileName, optionValue.text(url)]];
      if (boot.kind === 'uefi-http') options.push([Option.VendorClassIdentifier, optionValue.text('HTTPClient')]);
      // The `file` field holds 127 characters; longer URLs travel in option 67 only.
      return { file: url.length < 128 ? url : '', siaddr: serverIp, options };
    }
    case 'none':
      return { file: '', siaddr: ZERO_ADDRESS, options: [] };
  }
}

function networkOptions(host: BootHost): Options {
  return cached(networkOptionsOf, host, () => {
    const options: [number, Buffer][] = [
      [Option.SubnetMask, optionValue.ipv4(host.subnetMask)],
      [Option.BroadcastAddress, optionValue.ipv4(host.broadcastAddress)],
      [Option.Router, optionValue.ipv4(host.gateway)],
      [Option.HostName, optionValue.text(host.hostName)],
    ];
    if (host.dnsServers.length > 0) options.push([Option.DomainNameServer, optionValue.ipv4(...host.dnsServers)]);
    if (host.ntpServers.length > 0) options.push([Option.NtpServers, optionValue.ipv4(...host.ntpServers)]);
    return options;
  });
}

function baseReply(request: DhcpPacket, type: MessageType, settings: DhcpSettings): EncodablePacket {
  const options: [number, Buffer][] = [
    [Option.MessageType, cached(messageTypeValues, type, () => optionValue.uint8(type))],
    [Option.ServerIdentifier, cached(serverIdentifierOf, settings.serverIp, () => optionValue.ipv4(settings.serverIp))],
  ];
  const relayInfo = request.options.get(Option.RelayAgentInformation);
  if (relayInfo) options.push([Option.RelayAgentInformation, relayInfo]);
  return {
    op: BOOTREPLY,
    htype: request.htype,
    hlen: request.hlen,
    hops: 0,
    xid: request.xid,
    secs: 0,
    flags: request.flags,
    ciaddr: ZERO_ADDRESS,
    yiaddr: ZERO_ADDRESS,
    siaddr: ZERO_ADDRESS,
    giaddr: request.giaddr,
    chaddr: request.chaddr,
    sname: '',
    file: '',
    options,
  };
}

function maxLengthOf(request: DhcpPacket): number {
  const value = request.options.get(Option.MaxMessageSize);
  // Option 57 counts the whole IP datagram; 28 octets are IP and UDP headers (RFC 2132 §9.10).
  return value ? value.readUInt16BE(0) - 28 : 548;
}

/** Which answer a DHCPREQUEST gets (RFC 2131 §4.3.2), or why it gets none. */
function judgeRequest(request: DhcpPacket, host: BootHost, settings: DhcpSettings): 'ack' | 'nak' | IgnoreReason {
  const serverId = request.options.get(Option.ServerIdentifier);
  const requested = request.options.get(Option.RequestedIpAddress);
  if (serverId) {
    // SELECTING: the client answers an offer; not ours means it chose another server.
    if (ipv4At(serverId, 0) !== settings.serverIp) return 'other-server';
    if (!requested) return 'bad-request-state';
    return ipv4At(requested, 0) === host.address ? 'ack' : 'nak';
  }
  if (requested) return ipv4At(requested, 0) === host.address ? 'ack' : 'nak'; // INIT-REBOOT
  if (request.ciaddr !== ZERO_ADDRESS) return request.ciaddr === host.address ? 'ack' : 'nak'; // RENEWING/REBINDING
  return 'bad-request-state';
}

/**
 * The whole DHCP server decision for one decoded packet: no I/O, no clock. Only MACs the lookup
 * knows get an answer; everything else is ignored with a reason to count.
 */
export function handleDhcpPacket(request: DhcpPacket, lookup: HostLookup, settings: DhcpSettings): DhcpOutcome {
  const mac = macFromChaddr(request.chaddr);
  if (request.op !== BOOTREQUEST) return { kind: 'ignored', reason: 'not-a-request', mac };
  const typeOption = request.options.get(Option.MessageType);
  // Plain BOOTP (no option 53) is not served.
  if (!typeOption) return { kind: 'ignored', reason: 'no-message-type', mac };
  const type = typeOption[0] as MessageType;

  const host = lookup.byMac(mac);
  if (!host) {
    const unusable = lookup.unusableByMac(mac);
    return unusable
      ? { kind: 'ignored', reason: 'unusable-host', mac, host: unusable.host, detail: unusable.problem }
      : { kind: 'ignored', reason: 'unknown-mac', mac };
  }

  let replyType: MessageType;
  switch (type) {
    case MessageType.Discover:
      replyType = MessageType.Offer;
      break;
    case MessageType.Request: {
      const verdict = judgeRequest(request, host, settings);
      if (verdict !== 'ack' && verdict !== 'nak') return { kind: 'ignored', reason: verdict, mac, host: host.host };
      replyType = verdict === 'ack' ? MessageType.Ack : MessageType.Nak;
      break;
    }
    case MessageType.Inform:
      replyType = MessageType.Ack;
      break;
    // Leases are fixed by the host's annotations: a release frees nothing, a decline is worth a warning.
    case MessageType.Release:
      return { kind: 'ignored', reason: 'release', mac, host: host.host };
    case MessageType.Decline:
      return {
        kind: 'ignored',
        reason: 'decline',
        mac,
        host: host.host,
        detail: `client reports ${host.address} already in use`,
      };
    default:
      return { kind: 'ignored', reason: 'not-a-request', mac, host: host.host };
  }

  const reply = baseReply(request, replyType, settings);
  const isNak = replyType === MessageType.Nak;
  const boot: BootDecision = isNak
    ? { kind: 'none' }
    : chooseBootFile(request.options, mac, host.provisioningState, settings);
  if (isNak) {
    // RFC 2131 §4.3.2: a relay must broadcast the NAK to the client.
    if (request.giaddr !== ZERO_ADDRESS) reply.flags |= BROADCAST_FLAG;
  } else {
    const isInform = type === MessageType.Inform;
    // RFC 2131 §4.3.5: an INFORM answer carries no address and no lease time.
    reply.yiaddr = isInform ? ZERO_ADDRESS : host.address;
    reply.ciaddr = isInform || type === MessageType.Request ? request.ciaddr : ZERO_ADDRESS;
    const bootPart = bootOptions(boot, settings.serverIp);
    reply.siaddr = bootPart.siaddr;
    reply.file = bootPart.file;
    reply.options = [
      ...reply.options.slice(0, 2),
      ...(isInform ? [] : leaseOptions(settings.leaseSeconds)),
      ...networkOptions(host),
      ...bootPart.options,
      ...reply.options.slice(2),
    ];
  }
  return {
    kind: 'reply',
    messageType: replyType,
    packet: reply,
    destination: replyDestination(request, isNak, settings.serverPort, settings.clientPort),
    maxLength: maxLengthOf(request),
    host,
    boot,
  };
}
