import type { FileHandle } from 'node:fs/promises';
import { NetasciiEncoder, netasciiExpansion } from './netasciiEncoder.js';
import type { TransferSource } from './tftpTransferSource.js';

/** File bytes read and converted at a time: small enough that one conversion never stalls the event loop. */
const CHUNK = 64 << 10;

interface Checkpoint {
  /** Output position, file offset of the next input byte and the pending byte there. */
  out: number;
  file: number;
  pending: number;
}

/**
 * The netascii form of a file, converted chunk by chunk as blocks are read (see netasciiEncoder.ts).
 * Its size is counted first in a streaming pass, as the transfer needs the last block number and
 * tsize (RFC 2349) up front. A transfer reads forward and may read again from the start of its
 * last read (a window retransmitted), so that start is kept as a checkpoint to convert again from.
 */
export async function netasciiFileSource(handle: FileHandle, fileSize: number): Promise<TransferSource> {
  const input = Buffer.allocUnsafe(CHUNK);
  let size = 0;
  for (let at = 0; at < fileSize;) {
    const { bytesRead } = await handle.read(input, 0, Math.min(CHUNK, fileSize - at), at);
    if (bytesRead === 0) break;
    size += bytesRead + netasciiExpansion(input.subarray(0, bytesRead));
    at += bytesRead;
  }
  return new NetasciiFileSource(handle, size, input);
}

class NetasciiFileSource implements TransferSource {
  private readonly encoder = new NetasciiEncoder();
  /** File offset of `input[0]`; `input[inputAt, inputEnd)` is read but not yet converted. */
  private inputFile = 0;
  private inputAt = 0;
  private inputEnd = 0;
  private out = 0;
  private checkpoint: Checkpoint = { out: 0, file: 0, pending: -1 };

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly input: Buffer,
  ) {}

  async readv(targets: Buffer[], position: number): Promise<number> {
    if (position < this.out) {
      if (position < this.checkpoint.out)
        throw new Error(`netascii read at byte ${position} is before the last read at byte ${this.checkpoint.out}`);
      this.encoder.pending = this.checkpoint.pending;
      this.inputFile = this.checkpoint.file;
      this.inputAt = this.inputEnd = 0;
      this.out = this.checkpoint.out;
    }
    if (this.out < position) {
      const scratch = Buffer.allocUnsafe(Math.min(CHUNK, position - this.out));
      while (this.out < position) {
        const written = await this.produce(scratch.subarray(0, Math.min(scratch.length, position - this.out)));
        if (written === 0) return 0;
        this.out += written;
      }
    }
    this.checkpoint = { out: this.out, file: this.inputFile + this.inputAt, pending: this.encoder.pending };
    let filled = 0;
    for (const target of targets) {
      const written = await this.produce(target);
      filled += written;
      if (written < target.length) break;
    }
    this.out += filled;
    return filled;
  }

  close(): Promise<void> {
    return this.handle.close();
  }

  /** Fills `target` with converted bytes; fewer only at the end of the file. */
  private async produce(target: Buffer): Promise<number> {
    let written = 0;
    while (written < target.length) {
      if (this.inputAt === this.inputEnd && this.encoder.pending < 0 && !(await this.load())) break;
      const step = this.encoder.encode(this.input.subarray(this.inputAt, this.inputEnd), target.subarray(written));
      this.inputAt += step.read;
      written += step.written;
    }
    return written;
  }

  private async load(): Promise<boolean> {
    this.inputFile += this.inputEnd;
    const { bytesRead } = await this.handle.read(this.input, 0, CHUNK, this.inputFile);
    this.inputAt = 0;
    this.inputEnd = bytesRead;
    return bytesRead > 0;
  }
}
