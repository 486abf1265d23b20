import { describe, expect, it } from 'vitest';
import { bufferSource, readPacketRun } from '../../../../dhcp/tftp/tftpTransferSource.js';

const file = Buffer.from(Array.from({ length: 25 }, (_, i) => i));

describe('readPacketRun', () => {
  it('lays out DATA packets with their block numbers and the file bytes between the headers', async () => {
    const run = await readPacketRun(bufferSource(file), 10, 1, 8);
    expect(run.first).toBe(1);
    // 25 bytes in blocks of 10: 10, 10, 5 (the short block ends the transfer).
    expect(run.packets.map((p) => [p.readUInt16BE(0), p.readUInt16BE(2), p.length - 4])).toEqual([
      [3, 1, 10],
      [3, 2, 10],
      [3, 3, 5],
    ]);
    expect(Buffer.concat(run.packets.map((p) => p.subarray(4)))).toEqual(file);
  });

  it('starts anywhere, stops at the count, and ends a file of whole blocks with an empty block', async () => {
    const whole = file.subarray(0, 20);
    const middle = await readPacketRun(bufferSource(whole), 10, 2, 1);
    expect(middle.packets.map((p) => p.subarray(4))).toEqual([whole.subarray(10, 20)]);
    const end = await readPacketRun(bufferSource(whole), 10, 2, 5);
    expect(end.packets.map((p) => p.length)).toEqual([14, 4]);
  });

  it('numbers blocks past 65535 from 0 again (rollover)', async () => {
    const big = Buffer.alloc(65_540);
    const run = await readPacketRun(bufferSource(big), 1, 65_535, 3);
    expect(run.packets.map((p) => p.readUInt16BE(2))).toEqual([65_535, 0, 1]);
  });

  it('refuses a file that came up shorter than its announced size', async () => {
    const shrunk = { ...bufferSource(file.subarray(0, 12)), size: file.length };
    await expect(readPacketRun(shrunk, 10, 1, 3)).rejects.toThrow(
      'read 12 of 25 bytes: the file changed while being sent',
    );
  });
});

describe('readPacketRun with memory to reuse', () => {
  it('reads the next run into the old run’s memory when it fits, and into new memory when not', async () => {
    const source = bufferSource(file);
    const first = await readPacketRun(source, 10, 1, 2);
    const second = await readPacketRun(source, 10, 2, 2, first.buffer);
    expect(second.buffer).toBe(first.buffer);
    expect(second.packets.map((p) => [p.readUInt16BE(2), p.subarray(4)])).toEqual([
      [2, file.subarray(10, 20)],
      [3, file.subarray(20, 25)],
    ]);
    const larger = await readPacketRun(source, 10, 1, 3, Buffer.alloc(10));
    expect(larger.packets).toHaveLength(3);
    expect(larger.buffer.length).toBe(3 * 14);
  });
});
