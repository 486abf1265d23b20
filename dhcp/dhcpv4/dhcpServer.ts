import dgram from 'node:dgram';
import type { Logger } from 'pino';
import { decodeDhcpPacket, type DhcpDropReason } from './decodeDhcpPacket.js';
import type { MessageType } from './dhcpPacket.js';
import { DhcpEncodeError, encodeDhcpPacket } from './encodeDhcpPacket.js';
import { handleDhcpPacket, type DhcpSettings, type IgnoreReason } from './handleDhcpPacket.js';
import type { HostLookup } from '../hosts/hostLookup.js';
import { bindUdpSocket, closeUdpSocket } from '../udp/udpSocket.js';

export interface DhcpServerStats {
  received: number;
  replied: number;
  /** Replies by DHCP message type (OFFER 2, ACK 5, NAK 6). */
  repliedByType: Partial<Record<MessageType, number>>;
  dropped: Partial<Record<DhcpDropReason, number>>;
  ignored: Partial<Record<IgnoreReason, number>>;
}

export interface DhcpServerOptions {
  /** Host part of `dhcp.listenAddr`. */
  listenHost: string;
  settings: DhcpSettings;
  lookup: HostLookup;
  logger: Logger;
}

const WILDCARD = '0.0.0.0';

function count<K extends string | number>(counters: Partial<Record<K, number>>, key: K): void {
  counters[key] = (counters[key] ?? 0) + 1;
}

/**
 * The DHCP socket loop: decode, decide, encode, send. Every failure is a counter and a log line;
 * nothing a client sends can throw out of the message handler.
 *
 * Sockets (all on `dhcp.port`): the listen address; a socket on `dhcp.serverIP` when that differs,
 * so replies leave from the server address and broadcasts leave through its interface; and when
 * the listen address is a specific one, a receive-only socket on 255.255.255.255, because Linux
 * does not deliver limited broadcasts to a socket bound to a unicast address.
 */
export class DhcpServer {
  readonly stats: DhcpServerStats = { received: 0, replied: 0, repliedByType: {}, dropped: {}, ignored: {} };
  private sockets: dgram.Socket[] = [];
  private sendSocket: dgram.Socket | undefined;

  constructor(private readonly options: DhcpServerOptions) {}

  async start(): Promise<void> {
    const { listenHost, settings } = this.options;
    const port = settings.serverPort;
    const main = await bindUdpSocket(listenHost, port, { broadcast: true });
    this.sockets.push(main);
    this.sendSocket = main;
    if (listenHost === WILDCARD) {
      const own = await bindUdpSocket(settings.serverIp, port, { broadcast: true }).catch((error: unknown) => {
        this.options.logger.warn(
          { err: error, serverIp: settings.serverIp },
          'dhcp.serverIP is not a local address; replies leave from the wildcard socket',
        );
        return undefined;
      });
      if (own) {
        this.sockets.push(own);
        this.sendSocket = own;
      }
    } else if (!listenHost.startsWith('127.')) {
      this.sockets.push(await bindUdpSocket('255.255.255.255', port, { broadcast: true }));
    }
    for (const socket of this.sockets) {
      socket.on('message', (message) => {
        this.onMessage(message);
      });
      socket.on('error', (error) => {
        this.options.logger.error({ err: error }, 'DHCP socket error');
      });
    }
    this.options.logger.info({ listen: `${listenHost}:${port}`, serverIp: settings.serverIp }, 'DHCP server listening');
  }

  async close(): Promise<void> {
    await Promise.all(this.sockets.map(closeUdpSocket));
    this.sockets = [];
  }

  private onMessage(message: Buffer): void {
    const { logger, lookup, settings } = this.options;
    this.stats.received++;
    const decoded = decodeDhcpPacket(message);
    if (!decoded.ok) {
      count(this.stats.dropped, decoded.error.reason);
      logger.debug({ reason: decoded.error.reason }, decoded.error.message);
      return;
    }
    const outcome = handleDhcpPacket(decoded.packet, lookup, settings);
    if (outcome.kind === 'ignored') {
      count(this.stats.ignored, outcome.reason);
      const fields = { mac: outcome.mac, host: outcome.host, reason: outcome.reason, detail: outcome.detail };
      if (outcome.reason === 'unusable-host')
        logger.warn(fields, `not answering BareMetalHost ${outcome.host ?? ''}: ${outcome.detail ?? ''}`);
      else if (outcome.reason === 'decline') logger.warn(fields, 'DHCPDECLINE: address conflict');
      else logger.debug(fields, 'DHCP request ignored');
      return;
    }
    let wire: Buffer;
    try {
      wire = encodeDhcpPacket(outcome.packet, outcome.maxLength);
    } catch (error) {
      if (!(error instanceof DhcpEncodeError)) throw error;
      count(this.stats.ignored, 'reply-too-long');
      logger.warn({ mac: outcome.host.mac, host: outcome.host.host }, error.message);
      return;
    }
    const { address, port } = outcome.destination;
    // No callback: a failed send is the socket's 'error' event (logged there), and a callback per
    // reply would cost a second trip into JavaScript for every packet.
    this.sendSocket?.send(wire, port, address);
    this.stats.replied++;
    count(this.stats.repliedByType, outcome.messageType);
    // Checked first: the fields would be built for every reply even when info is off.
    if (!logger.isLevelEnabled('info')) return;
    logger.info(
      {
        mac: outcome.host.mac,
        host: outcome.host.host,
        type: outcome.messageType,
        ip: outcome.packet.yiaddr,
        boot: outcome.boot.kind === 'none' ? outcome.boot.reason : outcome.boot.kind,
        to: `${address}:${port}`,
      },
      'DHCP reply',
    );
  }
}
