import type { KubeConfig } from '@kubernetes/client-node';
import { classifyApiError } from '../k8s/apiErrors.js';
import type { BareMetalHost } from '../api/bareMetalHost.js';
import { createBareMetalHostApi, type BareMetalHostApi } from '../k8s/bareMetalHosts.js';
import { startBmcSecretCache, type BmcSecretCache } from './bmcSecrets.js';
import { startHostInformer, type HostInformer } from './hostInformer.js';
import { HostQueue } from './hostQueue.js';
import { reconcile } from './reconcile.js';
import type { SimConfig } from './settings.js';

/** Passes start at least this far apart, so a burst of watch events is taken in batches. */
const MIN_PASS_MS = 20;
/**
 * Hosts stepped at once: a pass over thousands of new hosts (a fleet registered before the
 * simulator started) must not open thousands of requests together.
 */
const PASS_CONCURRENCY = 64;
/** How long a written host waits for its write to come back through the watch before it is looked at anyway. */
const WRITE_SEEN_WITHIN_MS = 1000;

export interface SimulatorOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  config: SimConfig;
  /** Longest sleep between passes when nothing is due; a watch event wakes the loop earlier. */
  maxIdleMs?: number;
  onError?: (err: unknown) => void;
  onTransition?: (host: string, from: string, to: string) => void;
}

export interface Simulator {
  stop(): Promise<void>;
}

/**
 * The simulator's controller loop, shaped like BMO's: hosts are read from a watch-backed informer
 * (one LIST at the start and after a failed watch, never one per pass), and a pass looks only at
 * the hosts that changed or whose requeue time has come (`HostQueue`). For each it applies
 * `reconcile` (with its BMC Secret when BMO would read it) and makes the one write it asks for —
 * the host's metadata or spec, its Secret, or its status through the status subresource — with the
 * resourceVersion read; the cache may be stale, and a conflict just means "look again".
 */
export function startSimulator(options: SimulatorOptions): Simulator {
  const api = createBareMetalHostApi(options.kubeConfig, options.namespace);
  const maxIdleMs = options.maxIdleMs ?? 5000;
  const onError = options.onError ?? (() => undefined);
  const queue = new HostQueue();
  const state = { stopped: false };
  // A function, not the field: the loop reads it after awaits, where stop() may have set it.
  const isStopped = () => state.stopped;
  let wake: (() => void) | undefined;
  let secrets: BmcSecretCache | undefined;
  let hosts: HostInformer | undefined;

  const sleep = (ms: number, wakeable = true) =>
    new Promise<void>((resolve) => {
      if (state.stopped) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      if (wakeable) wake = done;
    });

  const visit = async (name: string, cache: BmcSecretCache, informer: HostInformer) => {
    let host: BareMetalHost | undefined;
    try {
      host = informer.get(name);
    } catch (err) {
      // Looked at again when it changes.
      onError(err);
      return;
    }
    if (!host) {
      queue.forget(name);
      return;
    }
    queue.uses(name, host.spec.bmc?.credentialsName);
    if (queue.awaitingWrite(name, host.metadata.resourceVersion, Date.now())) return;
    const result = await step(api, cache, host, options);
    if (result.replaced !== undefined) queue.wrote(name, result.replaced, Date.now() + WRITE_SEEN_WITHIN_MS);
    else queue.requeue(name, result.lookAgainMs, Date.now());
  };

  const loop = async () => {
    let passStarted = 0;
    while (!state.stopped) {
      let idle = maxIdleMs;
      try {
        const cache = (secrets ??= await startBmcSecretCache(options.kubeConfig, options.namespace, {
          onChange: (secret) => {
            queue.secretChanged(secret);
            wake?.();
          },
          onError,
        }));
        const informer = (hosts ??= await startHostInformer(options.kubeConfig, options.namespace, {
          onHost: (name) => {
            queue.changed(name);
            wake?.();
          },
          onResync: () => {
            queue.changedAll(hosts?.names() ?? []);
            wake?.();
          },
          onError,
        }));
        if (isStopped()) break;
        passStarted = Date.now();
        const names = queue.take(passStarted);
        const worker = async () => {
          for (let name = names.pop(); name !== undefined; name = names.pop()) await visit(name, cache, informer);
        };
        await Promise.all(Array.from({ length: Math.min(PASS_CONCURRENCY, names.length) }, worker));
        idle = Math.min(idle, queue.nextDueIn(Date.now()));
      } catch (err) {
        onError(err);
        idle = Math.min(idle, 1000);
      }
      await sleep(idle);
      // A host whose writes never settle, or a burst of events, must not turn the loop into a busy one.
      const sincePass = Date.now() - passStarted;
      if (sincePass < MIN_PASS_MS) await sleep(MIN_PASS_MS - sincePass, false);
    }
  };
  // Also stops caches that were still starting when stop() was called.
  const running = loop().finally(async () => {
    secrets?.stop();
    await hosts?.stop();
  });

  return {
    async stop() {
      state.stopped = true;
      secrets?.stop();
      wake?.();
      await running;
    },
  };
}

/** States in which BMO does not read a host's BMC credentials. */
const WITHOUT_CREDENTIALS = new Set(['', 'unmanaged']);

/** What one step of a host came to: when to look at it again, and the version its write replaced. */
interface StepResult {
  lookAgainMs: number;
  /** Set when the host itself was written: the resourceVersion the write replaced. */
  replaced?: string;
}

/** One host: make its next write if one is due. */
async function step(
  api: BareMetalHostApi,
  secrets: BmcSecretCache,
  host: BareMetalHost,
  options: SimulatorOptions,
): Promise<StepResult> {
  try {
    const state = host.status?.provisioning?.state ?? '';
    const credentialsName = host.spec.bmc?.credentialsName;
    const secret = credentialsName && !WITHOUT_CREDENTIALS.has(state) ? await secrets.get(credentialsName) : undefined;
    const action = reconcile(host, secret, new Date(), options.config);
    if (action.host) return written(host, await api.replace(action.host));
    else if (action.secret) await secrets.replace(action.secret);
    else if (action.status) {
      const saved = await api.replaceStatus({ ...host, status: action.status });
      const to = action.status.provisioning?.state ?? '';
      if (state !== to) options.onTransition?.(host.metadata.name, state, to);
      return written(host, saved);
    } else return { lookAgainMs: action.requeueAfterMs ?? Number.POSITIVE_INFINITY };
  } catch (err) {
    const kind = classifyApiError(err).kind;
    if (kind !== 'conflict' && kind !== 'notFound') {
      options.onError?.(err);
      return { lookAgainMs: 1000 };
    }
  }
  return { lookAgainMs: 0 };
}

/** A write that left the version as it was (nothing changed) brings no watch event to wait for. */
function written(before: BareMetalHost, after: BareMetalHost): StepResult {
  const replaced = before.metadata.resourceVersion;
  return replaced === undefined || replaced === after.metadata.resourceVersion
    ? { lookAgainMs: 0 }
    : { lookAgainMs: 0, replaced };
}
