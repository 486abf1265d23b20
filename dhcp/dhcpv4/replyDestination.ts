import { BROADCAST_ADDRESS, ZERO_ADDRESS, type DhcpPacket } from './dhcpPacket.js';

export interface ReplyDestination {
  address: string;
  port: number;
  via: 'relay' | 'ciaddr' | 'broadcast';
}

/**
 * Where a reply goes (RFC 2131 §4.1): to the relay's server port when relayed; a NAK is
 * broadcast; to `ciaddr` when the client has an address; otherwise broadcast. The RFC's unicast to
 * `yiaddr`/`chaddr` needs an ARP entry for a client that cannot answer ARP yet, which a UDP socket
 * cannot add — the RFC allows a broadcast instead ("If unicasting is not possible...").
 */
export function replyDestination(
  request: DhcpPacket,
  isNak: boolean,
  serverPort: number,
  clientPort: number,
): ReplyDestination {
  if (request.giaddr !== ZERO_ADDRESS) return { address: request.giaddr, port: serverPort, via: 'relay' };
  if (isNak) return { address: BROADCAST_ADDRESS, port: clientPort, via: 'broadcast' };
  if (request.ciaddr !== ZERO_ADDRESS) return { address: request.ciaddr, port: clientPort, via: 'ciaddr' };
  // Broadcast flag set, or not: both end in a broadcast (see above).
  return { address: BROADCAST_ADDRESS, port: clientPort, via: 'broadcast' };
}
