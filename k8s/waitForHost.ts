import { setTimeout as delay } from 'node:timers/promises';
import type { BareMetalHost } from '../api/bareMetalHost.js';
import { classifyApiError } from './apiErrors.js';
import type { BareMetalHostChanges, HostEvent } from './bareMetalHostCache.js';
import type { BareMetalHostApi } from './bareMetalHosts.js';
import { compareResourceVersions } from './resourceVersion.js';

export interface WaitForHostOptions {
  signal: AbortSignal;
  /** The worker's cache, whose versions of the host the wait follows; without it, or while it is not synced, the wait polls. */
  changes?: BareMetalHostChanges;
  /** Poll period while the cache is not following the server, and pause before retrying a transient read failure. */
  retryDelayMs?: number;
  /** Longest time between reads while the cache is synced: a safety net, not the way changes arrive. */
  recheckMs?: number;
  /**
   * The resourceVersion the step before the wait left the host at: the cache's version of the host,
   * when at least as new, is decided on first instead of a read.
   */
  since?: string;
}

/**
 * Follows one BareMetalHost until `decide` returns a value (or throws); `decide` receives
 * `undefined` once the host does not exist. The wait starts from a fresh GET (or from the cache's
 * version when it is at or after `since`, the version its step wrote), then decides on each
 * version of the host the shared cache sees after it, in order, skipping every version older than
 * the one it last decided on. So a wait that starts right after its step's own write never acts on
 * the host as it was before that write, however far the cache lags, and still sees each state BMO
 * passes through, as a watch of its own would; but the API server serves one GET instead of a LIST
 * and a watch that it would answer by filtering every host of the namespace. Where versions may
 * have gone by unseen (the cache re-listed, or versions cannot be ordered), it reads the host again.
 */
export async function waitForHost<T>(
  api: BareMetalHostApi,
  name: string,
  decide: (host: BareMetalHost | undefined) => T | undefined,
  options: WaitForHostOptions,
): Promise<T> {
  const { signal, changes, retryDelayMs = 1000, recheckMs = 30_000 } = options;
  // Following starts before the first read, so no version that comes after the read is missed.
  const inbox = followChanges(name, changes);
  try {
    let latest: string | undefined;
    let start = cachedSince(changes, name, options.since);
    let mustRead = true;
    for (;;) {
      signal.throwIfAborted();
      if (mustRead) {
        const host = start ?? (await readHost(api, name, signal, retryDelayMs));
        start = undefined;
        latest = host?.metadata.resourceVersion;
        const value = decide(host);
        if (value !== undefined) return value;
      }
      mustRead = false;
      const event = await inbox.next(changes?.synced() ? recheckMs : retryDelayMs, signal);
      const seen = event?.host.metadata.resourceVersion;
      const order = seen !== undefined && latest !== undefined ? compareResourceVersions(seen, latest) : undefined;
      if (!event || order === undefined) mustRead = true;
      else if (order > 0) {
        latest = seen;
        const value = decide(event.type === 'deleted' ? undefined : event.host);
        if (value !== undefined) return value;
      }
    }
  } finally {
    inbox.close();
  }
}

/** The cache's version of the host when it is known to be at or after `since`; otherwise the wait reads. */
function cachedSince(
  changes: BareMetalHostChanges | undefined,
  name: string,
  since: string | undefined,
): BareMetalHost | undefined {
  if (!changes || since === undefined) return undefined;
  const host = changes.latest(name);
  const seen = host?.metadata.resourceVersion;
  const order = seen === undefined ? undefined : compareResourceVersions(seen, since);
  return order !== undefined && order >= 0 ? host : undefined;
}

async function readHost(
  api: BareMetalHostApi,
  name: string,
  signal: AbortSignal,
  retryDelayMs: number,
): Promise<BareMetalHost | undefined> {
  for (;;) {
    try {
      return await api.get(name);
    } catch (err) {
      const { kind } = classifyApiError(err);
      if (kind === 'notFound') return undefined;
      if (kind !== 'transient') throw err;
      await delay(retryDelayMs, undefined, { signal });
    }
  }
}

interface ChangeInbox {
  /** The next version seen, or undefined when the wait should read the host itself (timed out, re-synced, unparsable). */
  next(timeoutMs: number, signal: AbortSignal): Promise<HostEvent | undefined>;
  close(): void;
}

/** Buffers the cache's versions of one host between the wait's looks, so none is lost while a read is in flight. */
function followChanges(name: string, changes: BareMetalHostChanges | undefined): ChangeInbox {
  const queue: (HostEvent | undefined)[] = [];
  let wake: (() => void) | undefined;
  const stop = changes?.onChange(name, (event) => {
    queue.push(event);
    wake?.();
  });
  return {
    async next(timeoutMs, signal) {
      if (queue.length === 0) {
        await new Promise<void>((resolve, reject) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            wake = undefined;
          };
          const timer = setTimeout(() => {
            done();
            resolve();
          }, timeoutMs);
          const onAbort = () => {
            done();
            reject(signal.reason as Error);
          };
          signal.addEventListener('abort', onAbort, { once: true });
          wake = () => {
            done();
            resolve();
          };
        });
      }
      return queue.shift();
    },
    close: () => stop?.(),
  };
}
