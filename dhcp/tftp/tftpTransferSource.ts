import type { FileHandle } from 'node:fs/promises';
import { TftpOpcode } from './tftpPacket.js';

/** Bytes of the file as sent: the file itself, or its netascii form (netasciiFileSource.ts). */
export interface TransferSource {
  size: number;
  /** Fills `targets` in order from `position`; resolves to the bytes filled. */
  readv(targets: Buffer[], position: number): Promise<number>;
  close(): Promise<void>;
}

export function fileSource(handle: FileHandle, size: number): TransferSource {
  return {
    size,
    async readv(targets, position) {
      return (await handle.readv(targets, position)).bytesRead;
    },
    close: () => handle.close(),
  };
}

export function bufferSource(data: Buffer): TransferSource {
  return {
    size: data.length,
    readv(targets, position) {
      let at = position;
      for (const target of targets) at += data.copy(target, 0, at, at + target.length);
      return Promise.resolve(at - position);
    },
    close: () => Promise.resolve(),
  };
}

/** DATA packets of consecutive blocks: `packets[i]` is block `first + i`, ready to send. */
export interface PacketRun {
  first: number;
  packets: Buffer[];
  /** The memory the packets are views of, to be read into again by the next run. */
  buffer: Buffer;
}

/** At most this many iovecs go into one readv (Linux's IOV_MAX). */
const MAX_IOVECS = 1024;

/**
 * Reads blocks `first`… (1-based, as numbered on the wire) straight into their DATA packets: one
 * buffer holds the packets back to back, the file's bytes are read into the gaps between the 4-byte
 * headers with one readv, so nothing is copied or allocated per block when they are sent (and sent
 * again). `count` is capped by the file's end and by IOV_MAX. `reuse`, when large enough, is read into
 * instead of new memory: fresh memory costs a page fault per page on first touch, which on a virtual
 * machine is a good part of a transfer's CPU. Throws when the file came up short: it changed after its
 * size was announced.
 */
export async function readPacketRun(
  source: TransferSource,
  blockSize: number,
  first: number,
  count: number,
  reuse?: Buffer,
): Promise<PacketRun> {
  const lastBlock = Math.floor(source.size / blockSize) + 1;
  const n = Math.max(0, Math.min(count, MAX_IOVECS, lastBlock - first + 1));
  const stride = 4 + blockSize;
  const buffer = reuse && reuse.length >= n * stride ? reuse : Buffer.allocUnsafe(n * stride);
  const targets: Buffer[] = [];
  const packets: Buffer[] = [];
  let expected = 0;
  for (let i = 0; i < n; i++) {
    const length = Math.min(blockSize, source.size - (first + i - 1) * blockSize);
    const at = i * stride;
    // Opcode and block number byte by byte: writeUInt16BE's checks cost more than the bytes.
    buffer[at] = 0;
    buffer[at + 1] = TftpOpcode.DATA;
    buffer[at + 2] = ((first + i) >> 8) & 0xff;
    buffer[at + 3] = (first + i) & 0xff;
    targets.push(buffer.subarray(at + 4, at + 4 + length));
    packets.push(buffer.subarray(at, at + 4 + length));
    expected += length;
  }
  const read = expected === 0 ? 0 : await source.readv(targets, (first - 1) * blockSize);
  if (read !== expected) throw new Error(`read ${read} of ${expected} bytes: the file changed while being sent`);
  return { first, packets, buffer };
}
