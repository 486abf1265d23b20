import type dgram from 'node:dgram';
import { open } from 'node:fs/promises';
import type { Logger } from 'pino';
import { DEFAULT_TFTP_LIMITS, negotiateTftpOptions, type TftpLimits } from './negotiateTftpOptions.js';
import { BusyPoller, DEFAULT_TFTP_BUSY_POLL_MICROS } from './busyPoll.js';
import { BootFilePathError, resolveBootFilePath } from '../bootFiles/resolveBootFilePath.js';
import { TftpErrorCode, TftpOpcode, decodeTftpPacket, encodeTftpError, type TftpDropReason } from './tftpPacket.js';
import { TftpTransfer } from './tftpTransfer.js';
import { DEFAULT_TFTP_MAX_TRANSFERS, DEFAULT_TFTP_MAX_TRANSFERS_PER_CLIENT } from './tftpTransferLimits.js';
import { netasciiFileSource } from './netasciiFileSource.js';
import { fileSource, type TransferSource } from './tftpTransferSource.js';
import { openTftpTransferPort, type TftpTransferPort } from './tftpTransferPort.js';
import { bindUdpSocket, closeUdpSocket } from '../udp/udpSocket.js';

export interface TftpServerOptions {
  listenHost: string;
  port: number;
  /** The read-only root every file name is resolved in. */
  root: string;
  logger: Logger;
  limits?: TftpLimits;
  /** Retransmissions of one window before a transfer is abandoned. */
  maxRetries?: number;
  /** Concurrent transfers in all (default DEFAULT_TFTP_MAX_TRANSFERS). */
  maxTransfers?: number;
  /** Concurrent transfers from one client address (default DEFAULT_TFTP_MAX_TRANSFERS_PER_CLIENT). */
  maxTransfersPerClient?: number;
  /** Microseconds to poll for an ACK before sleeping (see busyPoll.ts); 0 never polls. */
  busyPollMicros?: number;
}

export interface TftpServerStats {
  requests: number;
  completed: number;
  failed: number;
  active: number;
  /** Bytes of the completed transfers' files. */
  sentBytes: number;
  refused: Partial<Record<'write' | 'access-violation' | 'not-found' | 'busy' | 'client-busy', number>>;
  dropped: Partial<Record<TftpDropReason | 'unexpected-opcode', number>>;
}

function count<K extends string>(counters: Partial<Record<K, number>>, key: K): void {
  counters[key] = (counters[key] ?? 0) + 1;
}

/** A read-only TFTP server: requests on the listen port, each transfer on its own port. */
export class TftpServer {
  readonly stats: TftpServerStats = {
    requests: 0,
    completed: 0,
    failed: 0,
    active: 0,
    sentBytes: 0,
    refused: {},
    dropped: {},
  };
  private socket: dgram.Socket | undefined;
  private readonly transferPorts = new Set<TftpTransferPort>();
  private readonly poller: BusyPoller;
  /** Transfers counted from the moment a request is admitted until it ends, in all and by client address. */
  private slots = 0;
  private readonly slotsByClient = new Map<string, number>();

  constructor(private readonly options: TftpServerOptions) {
    this.poller = new BusyPoller(options.busyPollMicros ?? DEFAULT_TFTP_BUSY_POLL_MICROS);
  }

  async start(): Promise<void> {
    const { listenHost, port, logger } = this.options;
    this.socket = await bindUdpSocket(listenHost, port);
    this.socket.on('message', (message, rinfo) => {
      this.onRequest(message, rinfo).catch((error: unknown) => {
        this.stats.failed++;
        logger.error({ err: error, client: `${rinfo.address}:${rinfo.port}` }, 'TFTP request failed');
      });
    });
    this.socket.on('error', (error) => {
      logger.error({ err: error }, 'TFTP socket error');
    });
    logger.info({ listen: `${listenHost}:${this.port}`, root: this.options.root }, 'TFTP server listening');
  }

  /** Transfers admitted and not yet ended (including those whose file is still being opened). */
  get transfersAdmitted(): number {
    return this.slots;
  }

  /** The bound port (useful when started on port 0). */
  get port(): number {
    return this.socket?.address().port ?? this.options.port;
  }

  async close(): Promise<void> {
    const ports = [...this.transferPorts];
    this.transferPorts.clear();
    const socket = this.socket;
    this.socket = undefined;
    await Promise.all([...ports.map((port) => port.close()), socket && closeUdpSocket(socket)]);
  }

  private refuse(
    client: dgram.RemoteInfo,
    reason: keyof TftpServerStats['refused'],
    code: number,
    message: string,
  ): void {
    count(this.stats.refused, reason);
    this.socket?.send(encodeTftpError(code, message), client.port, client.address);
    this.options.logger.info(
      { client: `${client.address}:${client.port}`, reason },
      `TFTP request refused: ${message}`,
    );
  }

  private async openSource(path: string, size: number, mode: string): Promise<TransferSource> {
    const handle = await open(path, 'r');
    if (mode !== 'netascii') return fileSource(handle, size);
    return netasciiFileSource(handle, size).catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
  }

  private async onRequest(message: Buffer, client: dgram.RemoteInfo): Promise<void> {
    const { logger } = this.options;
    const decoded = decodeTftpPacket(message);
    if (!decoded.ok) {
      count(this.stats.dropped, decoded.error.reason);
      logger.debug({ client: client.address }, decoded.error.message);
      return;
    }
    const request = decoded.packet;
    if (request.opcode === TftpOpcode.WRQ) {
      this.refuse(client, 'write', TftpErrorCode.AccessViolation, 'this server is read-only');
      return;
    }
    if (request.opcode !== TftpOpcode.RRQ) {
      count(this.stats.dropped, 'unexpected-opcode');
      return;
    }
    this.stats.requests++;
    // The slot is taken before anything asynchronous, so requests arriving meanwhile see it.
    if (!this.takeSlot(client)) return;
    try {
      await this.serve(client, request.filename, request.mode, request.options);
    } finally {
      this.releaseSlot(client.address);
    }
  }

  /** Counts a transfer for the client, or refuses it with an ERROR saying which limit it hit. */
  private takeSlot(client: dgram.RemoteInfo): boolean {
    const max = this.options.maxTransfers ?? DEFAULT_TFTP_MAX_TRANSFERS;
    const maxPerClient = this.options.maxTransfersPerClient ?? DEFAULT_TFTP_MAX_TRANSFERS_PER_CLIENT;
    const ofClient = this.slotsByClient.get(client.address) ?? 0;
    if (this.slots >= max) {
      this.refuse(client, 'busy', TftpErrorCode.NotDefined, `server busy: ${max} transfers running; retry later`);
      return false;
    }
    if (ofClient >= maxPerClient) {
      this.refuse(
        client,
        'client-busy',
        TftpErrorCode.NotDefined,
        `too many transfers from ${client.address}: ${maxPerClient} running; retry later`,
      );
      return false;
    }
    this.slots++;
    this.slotsByClient.set(client.address, ofClient + 1);
    return true;
  }

  private releaseSlot(address: string): void {
    this.slots--;
    const left = (this.slotsByClient.get(address) ?? 1) - 1;
    if (left > 0) this.slotsByClient.set(address, left);
    else this.slotsByClient.delete(address);
  }

  private async serve(
    client: dgram.RemoteInfo,
    filename: string,
    mode: string,
    options: ReadonlyMap<string, string>,
  ): Promise<void> {
    const { root } = this.options;
    let source: TransferSource;
    try {
      const file = await resolveBootFilePath(root, filename);
      source = await this.openSource(file.path, file.size, mode);
    } catch (error) {
      if (!(error instanceof BootFilePathError)) throw error;
      const notFound = error.refusal === 'not-found';
      this.refuse(
        client,
        error.refusal,
        notFound ? TftpErrorCode.FileNotFound : TftpErrorCode.AccessViolation,
        error.message,
      );
      return;
    }
    const params = negotiateTftpOptions(options, source.size, this.options.limits ?? DEFAULT_TFTP_LIMITS);
    await this.transfer(client, filename, source, params);
  }

  private async transfer(
    client: dgram.RemoteInfo,
    filename: string,
    source: TransferSource,
    params: ReturnType<typeof negotiateTftpOptions>,
  ): Promise<void> {
    const { logger } = this.options;
    const transferPort = await openTftpTransferPort(this.options.listenHost, client).catch(async (error: unknown) => {
      await source.close();
      throw error;
    });
    this.transferPorts.add(transferPort);
    this.stats.active++;
    const started = Date.now();
    const result = await new TftpTransfer(
      transferPort.socket,
      source,
      params,
      this.options.maxRetries ?? 5,
      this.poller,
    ).run();
    this.stats.active--;
    await source.close();
    if (this.transferPorts.delete(transferPort)) await transferPort.close();
    const fields = {
      client: `${client.address}:${client.port}`,
      file: filename,
      blksize: params.blockSize,
      windowsize: params.windowSize,
      ms: Date.now() - started,
      retransmits: result.retransmits,
    };
    if (result.ok) {
      this.stats.completed++;
      this.stats.sentBytes += result.bytes;
      logger.info({ ...fields, bytes: result.bytes }, 'TFTP transfer complete');
    } else {
      this.stats.failed++;
      logger.warn(fields, `TFTP transfer failed: ${result.reason}`);
    }
  }
}
