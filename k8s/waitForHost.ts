import { setTimeout as delay } from 'node:timers/promises';
import { BareMetalHost } from '../api/bareMetalHost.js';
import { classifyApiError } from './apiErrors.js';
import type { BareMetalHostApi } from './bareMetalHosts.js';

/**
 * Follows one BareMetalHost until `decide` returns a value (or throws). It lists, then watches from
 * the list's resourceVersion; a dropped watch resumes from the last resourceVersion seen, and a
 * resourceVersion the server no longer keeps (410) leads to a fresh list, so no change is missed.
 * `decide` receives `undefined` when the host does not exist (any more).
 */
export interface WaitForHostOptions {
  signal: AbortSignal;
  /** Pause before re-watching after an error, and before retrying a transient list failure. */
  retryDelayMs?: number;
}

type WatchOutcome<T> = { kind: 'decided'; value: T } | { kind: 'ended'; expired: boolean; failed: boolean };

export async function waitForHost<T>(
  api: BareMetalHostApi,
  name: string,
  decide: (host: BareMetalHost | undefined) => T | undefined,
  options: WaitForHostOptions,
): Promise<T> {
  const { signal, retryDelayMs = 1000 } = options;
  const fieldSelector = `metadata.name=${name}`;
  let resourceVersion: string | undefined;
  for (;;) {
    signal.throwIfAborted();
    if (resourceVersion === undefined) {
      const list = await listWithRetry(api, fieldSelector, signal, retryDelayMs);
      const value = decide(list.items[0]);
      if (value !== undefined) return value;
      resourceVersion = list.resourceVersion;
    }
    const state = { resourceVersion };
    const outcome = await watchOnce(api, { resourceVersion, fieldSelector }, decide, signal, state);
    if (outcome.kind === 'decided') return outcome.value;
    resourceVersion = outcome.expired ? undefined : state.resourceVersion;
    if (outcome.failed) await delay(retryDelayMs, undefined, { signal });
  }
}

async function listWithRetry(api: BareMetalHostApi, fieldSelector: string, signal: AbortSignal, retryDelayMs: number) {
  for (;;) {
    try {
      return await api.list({ fieldSelector });
    } catch (err) {
      if (classifyApiError(err).kind !== 'transient') throw err;
      await delay(retryDelayMs, undefined, { signal });
    }
  }
}

function watchOnce<T>(
  api: BareMetalHostApi,
  options: { resourceVersion: string; fieldSelector: string },
  decide: (host: BareMetalHost | undefined) => T | undefined,
  signal: AbortSignal,
  state: { resourceVersion: string },
): Promise<WatchOutcome<T>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let controller: AbortController | undefined;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      controller?.abort();
      action();
    };
    const onAbort = () => {
      finish(() => {
        reject(signal.reason as Error);
      });
    };
    signal.addEventListener('abort', onAbort, { once: true });

    const onEvent = (type: string, object: unknown) => {
      if (settled) return;
      if (type === 'ERROR') {
        const expired = (object as { code?: number } | undefined)?.code === 410;
        finish(() => {
          resolve({ kind: 'ended', expired, failed: !expired });
        });
        return;
      }
      const rv = (object as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion;
      if (rv) state.resourceVersion = rv;
      if (type === 'BOOKMARK') return;
      try {
        const host = type === 'DELETED' ? undefined : BareMetalHost.parse(object);
        const value = decide(host);
        if (value !== undefined) {
          finish(() => {
            resolve({ kind: 'decided', value });
          });
        }
      } catch (err) {
        finish(() => {
          reject(err instanceof Error ? err : new Error(String(err)));
        });
      }
    };
    const onDone = (err: unknown) => {
      const expired = (err as { statusCode?: number } | null)?.statusCode === 410;
      finish(() => {
        resolve({ kind: 'ended', expired, failed: err !== null && err !== undefined });
      });
    };

    api.watch(options, { onEvent, onDone }).then(
      (c) => {
        controller = c;
        if (settled) c.abort();
      },
      (err: unknown) => {
        onDone(err ?? new Error('watch failed'));
      },
    );
  });
}
