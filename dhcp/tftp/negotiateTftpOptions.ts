/** What a read transfer runs with after option negotiation. */
export interface TftpTransferParameters {
  blockSize: number;
  windowSize: number;
  timeoutMs: number;
  /** Options to acknowledge in an OACK; empty means no OACK (RFC 2347 §3: plain RFC 1350 transfer). */
  acknowledged: ReadonlyMap<string, string>;
}

export interface TftpLimits {
  maxBlockSize: number;
  maxWindowSize: number;
  defaultTimeoutMs: number;
}

export const DEFAULT_TFTP_LIMITS: TftpLimits = { maxBlockSize: 65464, maxWindowSize: 64, defaultTimeoutMs: 1000 };

function integer(value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/**
 * Negotiates blksize (RFC 2348: 8–65464, the server may lower it), timeout (RFC 2349: 1–255 s,
 * accepted as sent or ignored), tsize (RFC 2349: the file size in answer to 0) and windowsize
 * (RFC 7440: 1–65535, the server may lower it). Unknown or invalid options are left out of the
 * OACK, which RFC 2347 §5 allows.
 */
export function negotiateTftpOptions(
  requested: ReadonlyMap<string, string>,
  transferSize: number,
  limits: TftpLimits,
): TftpTransferParameters {
  const acknowledged = new Map<string, string>();
  let blockSize = 512;
  let windowSize = 1;
  let timeoutMs = limits.defaultTimeoutMs;

  const blksize = integer(requested.get('blksize'), 8, 65464);
  if (blksize !== undefined) {
    blockSize = Math.min(blksize, limits.maxBlockSize);
    acknowledged.set('blksize', String(blockSize));
  }
  const timeout = integer(requested.get('timeout'), 1, 255);
  if (timeout !== undefined) {
    timeoutMs = timeout * 1000;
    acknowledged.set('timeout', String(timeout));
  }
  if (requested.get('tsize') === '0') acknowledged.set('tsize', String(transferSize));
  const windowsize = integer(requested.get('windowsize'), 1, 65535);
  if (windowsize !== undefined) {
    windowSize = Math.min(windowsize, limits.maxWindowSize);
    acknowledged.set('windowsize', String(windowSize));
  }
  return { blockSize, windowSize, timeoutMs, acknowledged };
}
