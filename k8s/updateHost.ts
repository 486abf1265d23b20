import type { BareMetalHost } from '../api/bareMetalHost.js';
import { classifyApiError } from './apiErrors.js';
import type { BareMetalHostApi } from './bareMetalHosts.js';

export interface UpdateHostOptions {
  /**
   * A version of the host already at hand (the worker's cache, or the one a wait decided on), tried
   * before reading the host: only a write is taken from it, guarded by its resourceVersion, so a stale
   * version costs a 409 and a read. Deciding to change nothing, or to give up, takes a fresh read.
   */
  seen?: BareMetalHost | undefined;
  attempts?: number;
}

/**
 * Read-modify-write of one host, retried on conflict: the one place where a 409 means "read again
 * and recompute". `change` gets the host as read and returns the host to write, or `undefined`
 * when nothing needs to change (which makes every caller idempotent). It may throw to give up.
 * A host that does not exist propagates the API's 404.
 */
export async function updateHost(
  api: BareMetalHostApi,
  name: string,
  change: (host: BareMetalHost) => BareMetalHost | undefined,
  { seen, attempts = 20 }: UpdateHostOptions = {},
): Promise<{ host: BareMetalHost; changed: boolean }> {
  // Only a version with a resourceVersion can guard a write.
  const fromSeen = seen?.metadata.resourceVersion ? changeOf(seen, change) : undefined;
  if (fromSeen) {
    try {
      return { host: await api.replace(fromSeen), changed: true };
    } catch (err) {
      if (classifyApiError(err).kind !== 'conflict') throw err;
    }
  }
  for (let attempt = 1; ; attempt++) {
    const current = await api.get(name);
    const next = change(current);
    if (next === undefined) return { host: current, changed: false };
    try {
      return { host: await api.replace(next), changed: true };
    } catch (err) {
      if (classifyApiError(err).kind !== 'conflict' || attempt >= attempts) throw err;
    }
  }
}

/** The write `change` makes of a version that may be stale; nothing when it would not write. */
function changeOf(
  seen: BareMetalHost,
  change: (host: BareMetalHost) => BareMetalHost | undefined,
): BareMetalHost | undefined {
  try {
    return change(seen);
  } catch {
    // Giving up is decided on a fresh read, not on a version that may be older than the server's.
    return undefined;
  }
}
