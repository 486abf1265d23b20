import { InvalidArgumentError } from 'commander';

/** "2s", "500ms", "1m" or plain milliseconds. */
export function duration(text: string): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`"${text}" is not a duration; use e.g. 2s or 500ms`);
  const ms = Number(match[1]) * ({ ms: 1, s: 1000, m: 60_000 }[match[2] ?? 'ms'] ?? 1);
  if (ms < 1) throw new InvalidArgumentError('must be at least 1ms');
  return ms;
}

export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new InvalidArgumentError(`"${text}" is not a positive integer`);
  return value;
}
