import { describe, expect, it } from 'vitest';
import { DEFAULT_TFTP_LIMITS, negotiateTftpOptions } from '../../../../dhcp/tftp/negotiateTftpOptions.js';
import { checkBootFileName } from '../../../../dhcp/bootFiles/resolveBootFilePath.js';
import {
  decodeTftpPacket,
  encodeTftpData,
  encodeTftpError,
  encodeTftpOack,
  encodeTftpRequest,
  TftpOpcode,
} from '../../../../dhcp/tftp/tftpPacket.js';

function reason(buf: Buffer): string | undefined {
  const result = decodeTftpPacket(buf);
  return result.ok ? undefined : result.error.reason;
}

describe('decodeTftpPacket', () => {
  it('reads a read request with case-insensitive mode and options', () => {
    const result = decodeTftpPacket(
      encodeTftpRequest(
        1,
        'undionly.kpxe',
        'OCTET',
        new Map([
          ['BlkSize', '1428'],
          ['tsize', '0'],
        ]),
      ),
    );
    expect(result).toEqual({
      ok: true,
      packet: {
        opcode: 1,
        filename: 'undionly.kpxe',
        mode: 'octet',
        options: new Map([
          ['blksize', '1428'],
          ['tsize', '0'],
        ]),
      },
    });
  });

  it('round-trips DATA, ACK, ERROR and OACK', () => {
    expect(decodeTftpPacket(encodeTftpData(65536 + 3, Buffer.from('abc')))).toMatchObject({
      ok: true,
      packet: { opcode: TftpOpcode.DATA, block: 3 },
    });
    expect(decodeTftpPacket(Buffer.from([0, 4, 1, 2]))).toEqual({ ok: true, packet: { opcode: 4, block: 258 } });
    expect(decodeTftpPacket(encodeTftpError(1, 'not\0found'))).toEqual({
      ok: true,
      packet: { opcode: 5, code: 1, message: 'notfound' },
    });
    expect(decodeTftpPacket(encodeTftpOack(new Map([['tsize', '9']])))).toEqual({
      ok: true,
      packet: { opcode: 6, options: new Map([['tsize', '9']]) },
    });
  });

  it.each([
    ['too-short', Buffer.from([0, 1, 0])],
    ['bad-opcode', Buffer.from([0, 9, 0, 0])],
    ['unterminated-string', Buffer.from('\0\x01file\0octet', 'latin1')],
    ['unterminated-string', Buffer.from('\0\x01file\0', 'latin1')],
    ['bad-mode', Buffer.from('\0\x01file\0binary\0', 'latin1')],
    ['bad-options', Buffer.from('\0\x01file\0octet\0blksize\0', 'latin1')],
    ['bad-options', Buffer.from('\0\x01f\0octet\0tsize\x000\0TSIZE\x000\0', 'latin1')],
    ['too-long', Buffer.concat([Buffer.from('\0\x01', 'latin1'), Buffer.alloc(600, 0x61), Buffer.from('\0octet\0')])],
    ['bad-length', Buffer.from([0, 4, 0, 1, 0])],
  ])('drops %s', (expected, buf) => {
    expect(reason(buf)).toBe(expected);
  });
});

describe('negotiateTftpOptions', () => {
  it('acknowledges blksize, timeout, tsize and windowsize within limits', () => {
    const params = negotiateTftpOptions(
      new Map([
        ['blksize', '1428'],
        ['timeout', '3'],
        ['tsize', '0'],
        ['windowsize', '16'],
      ]),
      12345,
      DEFAULT_TFTP_LIMITS,
    );
    expect(params).toEqual({
      blockSize: 1428,
      windowSize: 16,
      timeoutMs: 3000,
      acknowledged: new Map([
        ['blksize', '1428'],
        ['timeout', '3'],
        ['tsize', '12345'],
        ['windowsize', '16'],
      ]),
    });
  });

  it('lowers blksize and windowsize to the server limits and ignores invalid or unknown options', () => {
    const params = negotiateTftpOptions(
      new Map([
        ['blksize', '65464'],
        ['windowsize', '1000'],
        ['timeout', '0'],
        ['multicast', ''],
      ]),
      1,
      { ...DEFAULT_TFTP_LIMITS, maxBlockSize: 1468 },
    );
    expect(params.acknowledged).toEqual(
      new Map([
        ['blksize', '1468'],
        ['windowsize', '64'],
      ]),
    );
    expect(params.timeoutMs).toBe(1000);
  });

  it('runs a plain RFC 1350 transfer when nothing is negotiated', () => {
    expect(negotiateTftpOptions(new Map([['blksize', '4']]), 5, DEFAULT_TFTP_LIMITS)).toMatchObject({
      blockSize: 512,
      windowSize: 1,
      acknowledged: new Map(),
    });
  });
});

describe('checkBootFileName', () => {
  it.each(['../etc/passwd', 'a/../../b', '/etc/passwd', 'a\\..\\b', 'a\x01b', ''])('refuses %j', (name) => {
    expect(checkBootFileName(name)).toBeDefined();
  });
  it.each(['undionly.kpxe', 'arm64/ipxe.efi', 'a..b'])('accepts %j', (name) => {
    expect(checkBootFileName(name)).toBeUndefined();
  });
});
