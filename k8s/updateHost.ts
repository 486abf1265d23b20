import type { BareMetalHost } from '../api/bareMetalHost.js';
import { classifyApiError } from './apiErrors.js';
import type { BareMetalHostApi } from './bareMetalHosts.js';

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
  attempts = 20,
): Promise<{ host: BareMetalHost; changed: boolean }> {
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
