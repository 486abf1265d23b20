/** Concurrent TFTP transfers in all (`--tftp-max-transfers`). */
export const DEFAULT_TFTP_MAX_TRANSFERS = 512;

/**
 * Concurrent TFTP transfers from one client address (`--tftp-max-transfers-per-client`). A booting
 * host fetches one file at a time; a few more allow for a retry overlapping the transfer it
 * replaces and for hosts behind one relay or NAT address.
 */
export const DEFAULT_TFTP_MAX_TRANSFERS_PER_CLIENT = 8;

/** The largest value either flag takes: each transfer holds a socket and a file descriptor. */
export const MAX_TFTP_TRANSFERS_FLAG = 65_535;

/** A transfer-count flag's value, or a problem naming the flag and what it takes. */
export function parseTransferCount(
  flag: string,
  value: string | undefined,
  fallback: number,
  problems: string[],
): number {
  if (value === undefined) return fallback;
  if (/^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_TFTP_TRANSFERS_FLAG) return Number(value);
  problems.push(`${flag}: "${value}" is not a whole number of transfers from 1 to ${MAX_TFTP_TRANSFERS_FLAG}`);
  return fallback;
}
