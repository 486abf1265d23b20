import type dgram from 'node:dgram';
import type { FileHandle } from 'node:fs/promises';
import type { TftpTransferParameters } from './negotiateTftpOptions.js';
import {
  TftpErrorCode,
  TftpOpcode,
  decodeTftpPacket,
  encodeTftpData,
  encodeTftpError,
  encodeTftpOack,
} from './tftpPacket.js';

/** Bytes of the file as sent: the file itself, or its netascii form held in memory. */
export interface TransferSource {
  size: number;
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export function fileSource(handle: FileHandle, size: number): TransferSource {
  return {
    size,
    async read(position, length) {
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

export function bufferSource(data: Buffer): TransferSource {
  return {
    size: data.length,
    read: (position, length) => Promise.resolve(data.subarray(position, position + length)),
    close: () => Promise.resolve(),
  };
}

/** RFC 1350 netascii: CR LF line ends, a bare CR as CR NUL. */
export function toNetascii(data: Buffer): Buffer {
  const out: number[] = [];
  for (const byte of data) {
    if (byte === 0x0a) out.push(0x0d, 0x0a);
    else if (byte === 0x0d) out.push(0x0d, 0x00);
    else out.push(byte);
  }
  return Buffer.from(out);
}

export type TransferResult =
  { ok: true; bytes: number; retransmits: number } | { ok: false; reason: string; retransmits: number };

/** Read-ahead so a small window does not cost one file read per block. */
const READ_AHEAD = 1 << 20;

/**
 * One read transfer on its own socket (its TID, RFC 1350 §4). Sends a window of blocks
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
  private cache: { start: number; data: Buffer } = { start: 0, data: Buffer.alloc(0) };
  private finish: ((result: TransferResult) => void) | undefined;
  private refilling = false;

  constructor(
    private readonly socket: dgram.Socket,
    private readonly client: { address: string; port: number },
    private readonly source: TransferSource,
    private readonly params: TftpTransferParameters,
    private readonly maxRetries: number,
  ) {
    this.next = params.acknowledged.size > 0 ? 0 : 1;
    this.lastBlock = Math.floor(source.size / params.blockSize) + 1;
  }

  run(): Promise<TransferResult> {
    return new Promise((resolve) => {
      this.finish = resolve;
      this.socket.on('message', (message, rinfo) => {
        this.onMessage(message, rinfo);
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
    this.socket.send(packet, this.client.port, this.client.address);
  }

  private sendWindow(): void {
    if (this.refilling || !this.finish) return;
    if (this.next === 0) {
      this.send(encodeTftpOack(this.params.acknowledged));
    } else {
      const { blockSize } = this.params;
      const last = Math.min(this.next + this.params.windowSize - 1, this.lastBlock);
      const start = (this.next - 1) * blockSize;
      const end = Math.min(this.source.size, last * blockSize);
      const cache = this.cache;
      if (start < cache.start || end > cache.start + cache.data.length) {
        clearTimeout(this.timer);
        this.timer = undefined;
        void this.refill(start, end);
        return;
      }
      for (let block = this.next; block <= last; block++) {
        const offset = (block - 1) * blockSize - cache.start;
        this.send(encodeTftpData(block, cache.data.subarray(offset, Math.min(offset + blockSize, end - cache.start))));
      }
    }
    // One timer per transfer, re-armed for each window: cheaper than a new timer per block.
    if (this.timer) this.timer.refresh();
    else
      this.timer = setTimeout(() => {
        this.onTimeout();
      }, this.params.timeoutMs);
  }

  /**
   * Reads ahead from `start`, then sends the window. ACKs arriving meanwhile are for blocks sent
   * before, so they are dropped (see `onAck`).
   */
  private async refill(start: number, end: number): Promise<void> {
    this.refilling = true;
    try {
      this.cache = { start, data: await this.source.read(start, Math.max(READ_AHEAD, end - start)) };
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

  private onMessage(message: Buffer, rinfo: { address: string; port: number }): void {
    if (rinfo.address !== this.client.address || rinfo.port !== this.client.port) {
      // RFC 1350 §4: a packet from a foreign TID gets an error and does not disturb the transfer.
      this.socket.send(
        encodeTftpError(TftpErrorCode.UnknownTransferId, 'unknown transfer ID'),
        rinfo.port,
        rinfo.address,
      );
      return;
    }
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
