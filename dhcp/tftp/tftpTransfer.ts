import type dgram from 'node:dgram';
import type { BusyPoller } from './busyPoll.js';
import type { TftpTransferParameters } from './negotiateTftpOptions.js';
import { TftpErrorCode, TftpOpcode, decodeTftpPacket, encodeTftpError, encodeTftpOack } from './tftpPacket.js';
import { readPacketRun, type PacketRun, type TransferSource } from './tftpTransferSource.js';

export type TransferResult =
  { ok: true; bytes: number; retransmits: number } | { ok: false; reason: string; retransmits: number };

/** Read-ahead so a small window does not cost one file read per block. */
const READ_AHEAD = 1 << 20;
const NO_PACKETS: PacketRun = { first: 1, packets: [], buffer: Buffer.alloc(0) };

/**
 * One read transfer on its own socket, connected to the client (see tftpTransferPort.ts). Sends a window of blocks
 * (RFC 7440), moves on when the client acknowledges a block of it, retransmits from the first
 * unacknowledged block on timeout up to `maxRetries` times. Block numbers roll over from 65535 to 0.
 */
export class TftpTransfer {
  /** Absolute number of the first block not yet acknowledged; block 0 is the OACK. */
  private next: number;
  private readonly lastBlock: number;
  private retries = 0;
  private retransmits = 0;
  private timer: NodeJS.Timeout | undefined;
  private packetRun: PacketRun = NO_PACKETS;
  private finish: ((result: TransferResult) => void) | undefined;
  private refilling = false;

  constructor(
    private readonly socket: dgram.Socket,
    private readonly source: TransferSource,
    private readonly params: TftpTransferParameters,
    private readonly maxRetries: number,
    private readonly poller: BusyPoller,
  ) {
    this.next = params.acknowledged.size > 0 ? 0 : 1;
    this.lastBlock = Math.floor(source.size / params.blockSize) + 1;
  }

  run(): Promise<TransferResult> {
    return new Promise((resolve) => {
      this.finish = resolve;
      this.socket.on('message', (message) => {
        this.onMessage(message);
      });
      // A connected socket reports the client's ICMP port unreachable as ECONNREFUSED: it is gone.
      this.socket.on('error', (error) => {
        this.end({ ok: false, reason: `client unreachable: ${error.message}`, retransmits: this.retransmits });
      });
      this.socket.once('close', () => {
        this.end({ ok: false, reason: 'server shut down', retransmits: this.retransmits });
      });
      this.sendWindow();
    });
  }

  private end(result: TransferResult): void {
    clearTimeout(this.timer);
    const finish = this.finish;
    this.finish = undefined;
    finish?.(result);
  }

  private send(packet: Buffer): void {
    this.socket.send(packet);
  }

  private sendWindow(): void {
    if (this.refilling || !this.finish) return;
    if (this.next === 0) {
      this.send(encodeTftpOack(this.params.acknowledged));
    } else {
      const last = Math.min(this.next + this.params.windowSize - 1, this.lastBlock);
      const { first, packets } = this.packetRun;
      if (this.next < first || last >= first + packets.length) {
        clearTimeout(this.timer);
        this.timer = undefined;
        void this.refill();
        return;
      }
      for (let block = this.next; block <= last; block++) this.send(packets[block - first] as Buffer);
    }
    this.poller.expectReply();
    // One timer per transfer, re-armed for each window: cheaper than a new timer per block.
    if (this.timer) this.timer.refresh();
    else
      this.timer = setTimeout(() => {
        this.onTimeout();
      }, this.params.timeoutMs);
  }

  /**
   * Reads the packets from the first unacknowledged block on, then sends the window. ACKs arriving
   * meanwhile are for blocks sent before, so they are dropped (see `onAck`).
   */
  private async refill(): Promise<void> {
    this.refilling = true;
    const count = Math.max(this.params.windowSize, Math.ceil(READ_AHEAD / this.params.blockSize));
    // Nothing is sent while the run is read, and an empty send queue means no datagram still points
    // into the old run's memory, so it can take the new run.
    const reuse = this.socket.getSendQueueCount() === 0 ? this.packetRun.buffer : undefined;
    try {
      this.packetRun = await readPacketRun(this.source, this.params.blockSize, this.next, count, reuse);
    } catch (error) {
      this.end({
        ok: false,
        reason: `reading the file failed: ${(error as Error).message}`,
        retransmits: this.retransmits,
      });
      return;
    } finally {
      this.refilling = false;
    }
    this.sendWindow();
  }

  private onTimeout(): void {
    if (++this.retries > this.maxRetries) {
      this.send(encodeTftpError(TftpErrorCode.NotDefined, 'timed out waiting for ACK'));
      this.end({
        ok: false,
        reason: `no ACK for block ${this.next} after ${this.maxRetries} retransmissions`,
        retransmits: this.retransmits,
      });
      return;
    }
    this.retransmits++;
    this.sendWindow();
  }

  private onMessage(message: Buffer): void {
    const decoded = decodeTftpPacket(message);
    if (!decoded.ok) return;
    const packet = decoded.packet;
    if (packet.opcode === TftpOpcode.ERROR) {
      this.end({
        ok: false,
        reason: `client sent error ${packet.code}: ${packet.message}`,
        retransmits: this.retransmits,
      });
      return;
    }
    if (packet.opcode !== TftpOpcode.ACK || this.refilling) return;
    this.onAck(packet.block);
  }

  private onAck(block: number): void {
    // Map the 16-bit block number onto the current window; older ACKs are duplicates and are
    // ignored, which avoids the Sorcerer's Apprentice syndrome (RFC 1123 §4.2.3.1).
    const windowEnd = this.next === 0 ? 0 : Math.min(this.next + this.params.windowSize - 1, this.lastBlock);
    const acked = this.next + ((block - this.next) & 0xffff);
    if (acked > windowEnd) return;
    if (acked === this.lastBlock) {
      this.end({ ok: true, bytes: this.source.size, retransmits: this.retransmits });
      return;
    }
    this.next = acked + 1;
    this.retries = 0;
    this.sendWindow();
  }
}
