import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetasciiEncoder, netasciiExpansion } from '../../../../dhcp/tftp/netasciiEncoder.js';
import { netasciiFileSource } from '../../../../dhcp/tftp/netasciiFileSource.js';
import { readPacketRun } from '../../../../dhcp/tftp/tftpTransferSource.js';

/** The whole-buffer conversion, byte by byte, to compare the streamed one with. */
function reference(data: Buffer): Buffer {
  const out: number[] = [];
  for (const byte of data) {
    if (byte === 0x0a) out.push(0x0d, 0x0a);
    else if (byte === 0x0d) out.push(0x0d, 0x00);
    else out.push(byte);
  }
  return Buffer.from(out);
}

/** Converts `data` fed in input pieces of `inputSize` into blocks of `blockSize`. */
function blocks(data: Buffer, inputSize: number, blockSize: number): Buffer[] {
  const encoder = new NetasciiEncoder();
  const out: Buffer[] = [];
  let block = Buffer.alloc(blockSize);
  let filled = 0;
  let at = 0;
  while (at < data.length || encoder.pending >= 0) {
    const piece = data.subarray(at, Math.min(at + inputSize, data.length));
    const { read, written } = encoder.encode(piece, block.subarray(filled));
    at += read;
    filled += written;
    if (filled === blockSize) {
      out.push(block);
      block = Buffer.alloc(blockSize);
      filled = 0;
    }
  }
  out.push(block.subarray(0, filled));
  return out;
}

describe('NetasciiEncoder', () => {
  it('sends LF as CR LF, a bare CR as CR NUL and other bytes as they are (RFC 1350)', () => {
    const target = Buffer.alloc(16);
    const { read, written } = new NetasciiEncoder().encode(Buffer.from('a\nb\rc'), target);
    expect(read).toBe(5);
    expect(target.subarray(0, written)).toEqual(Buffer.from('a\r\nb\r\0c', 'latin1'));
  });

  it('carries the LF of a CR LF split across a block boundary into the next block', () => {
    // "abc\n" in blocks of 4: the CR ends block 1, the LF starts block 2.
    expect(blocks(Buffer.from('abc\nd'), 64, 4)).toEqual([Buffer.from('abc\r'), Buffer.from('\nd')]);
  });

  it('carries the NUL of a CR NUL split across a block boundary, also when the input runs out there', () => {
    expect(blocks(Buffer.from('abc\r'), 64, 4)).toEqual([Buffer.from('abc\r'), Buffer.from([0])]);
    expect(blocks(Buffer.from('abc\r'), 1, 4)).toEqual([Buffer.from('abc\r'), Buffer.from([0])]);
  });

  it('converts a file of only CRs into CR NUL pairs whatever the block and input sizes', () => {
    const crs = Buffer.alloc(1001, 0x0d);
    for (const [inputSize, blockSize] of [
      [1, 1],
      [7, 3],
      [1001, 512],
      [64, 8],
    ] as const) {
      const out = Buffer.concat(blocks(crs, inputSize, blockSize));
      expect(out.equals(reference(crs)), `input ${inputSize}, block ${blockSize}`).toBe(true);
    }
    expect(netasciiExpansion(crs)).toBe(1001);
  });

  it('matches the whole-buffer conversion for mixed bytes at odd block sizes', () => {
    const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => [0x0a, 0x0d, 0x41, 0x00][(i * 7) % 4] as number));
    for (const blockSize of [1, 2, 5, 512]) {
      expect(Buffer.concat(blocks(data, 100, blockSize)).equals(reference(data)), `block ${blockSize}`).toBe(true);
    }
    expect(netasciiExpansion(data) + data.length).toBe(reference(data).length);
  });
});

describe('netasciiFileSource', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netascii-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('announces the converted size and reads blocks forward and again from the last read (retransmission)', async () => {
    // Larger than one conversion chunk, with CRs and LFs on both sides of every boundary.
    const data = Buffer.from(
      Array.from({ length: 200_000 }, (_, i) => (i % 5 === 0 ? 0x0a : i % 7 === 0 ? 0x0d : 0x61)),
    );
    const path = join(dir, 'mixed.txt');
    await writeFile(path, data);
    const expected = reference(data);
    const source = await netasciiFileSource(await open(path, 'r'), data.length);
    try {
      expect(source.size).toBe(expected.length);
      const first = await readPacketRun(source, 512, 1, 100);
      const again = await readPacketRun(source, 512, 51, 100);
      const rest = await readPacketRun(source, 512, 151, 1000);
      const body = (run: { packets: Buffer[] }): Buffer => Buffer.concat(run.packets.map((p) => p.subarray(4)));
      // Buffer.equals: a deep comparison of this many bytes takes seconds.
      expect(body(first).equals(expected.subarray(0, 512 * 100))).toBe(true);
      expect(body(again).equals(expected.subarray(512 * 50, 512 * 150))).toBe(true);
      expect(body(rest).equals(expected.subarray(512 * 150))).toBe(true);
      await expect(readPacketRun(source, 512, 1, 1)).rejects.toThrow('is before the last read');
    } finally {
      await source.close();
    }
  });
});
