import type { KubeConfig } from '@kubernetes/client-node';
import { classifyApiError } from '../k8s/apiErrors.js';
import { createBareMetalHostApi, type BareMetalHostApi } from '../k8s/bareMetalHosts.js';
import { startBmcSecretCache, type BmcSecretCache } from './bmcSecrets.js';
import { reconcile } from './reconcile.js';
import type { SimConfig } from './settings.js';

const MIN_PASS_MS = 20;

export interface SimulatorOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  config: SimConfig;
  /** Longest sleep between passes when nothing is due; a watch wakes the loop earlier. */
  maxIdleMs?: number;
  onError?: (err: unknown) => void;
  onTransition?: (host: string, from: string, to: string) => void;
}

export interface Simulator {
  stop(): Promise<void>;
}

/**
 * The simulator's controller loop: list the hosts, apply `reconcile` to each (with its BMC Secret
 * when BMO would read it), make the one write it asks for — the host's metadata or spec, its Secret,
 * or its status through the status subresource — with the resourceVersion read (a conflict just
 * means "look again"), then sleep until the next delay is due or a watch event arrives.
 */
export function startSimulator(options: SimulatorOptions): Simulator {
  const api = createBareMetalHostApi(options.kubeConfig, options.namespace);
  const maxIdleMs = options.maxIdleMs ?? 5000;
  const onError = options.onError ?? (() => undefined);
  const state = { stopped: false };
  let wake: (() => void) | undefined;
  let watch: AbortController | undefined;
  let watching = false;
  let secrets: BmcSecretCache | undefined;

  const sleep = (ms: number) =>
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
      wake = done;
    });

  const ensureWatch = async (resourceVersion: string) => {
    if (watching || state.stopped) return;
    watching = true;
    watch = await api.watch(
      { resourceVersion },
      {
        onEvent: () => wake?.(),
        onDone: () => {
          watching = false;
          wake?.();
        },
      },
    );
  };

  const loop = async () => {
    while (!state.stopped) {
      let idle = maxIdleMs;
      try {
        const cache = (secrets ??= await startBmcSecretCache(options.kubeConfig, options.namespace, {
          onChange: () => wake?.(),
          onError,
        }));
        const list = await api.list();
        const results = await Promise.all(list.items.map((host) => step(api, cache, host, options)));
        for (const next of results) idle = Math.min(idle, next);
        await ensureWatch(list.resourceVersion);
      } catch (err) {
        onError(err);
        idle = Math.min(idle, 1000);
      }
      // A short floor keeps a host whose writes never settle from turning the loop into a busy one.
      await sleep(Math.max(idle, MIN_PASS_MS));
    }
  };
  // Also stops a cache that was still starting when stop() was called.
  const running = loop().finally(() => secrets?.stop());

  return {
    async stop() {
      state.stopped = true;
      watch?.abort();
      secrets?.stop();
      wake?.();
      await running;
    },
  };
}

/** States in which BMO does not read a host's BMC credentials. */
const WITHOUT_CREDENTIALS = new Set(['', 'unmanaged']);

/** One host: make its next write if one is due; returns how long until it should be looked at again. */
async function step(
  api: BareMetalHostApi,
  secrets: BmcSecretCache,
  host: Parameters<typeof reconcile>[0],
  options: SimulatorOptions,
): Promise<number> {
  try {
    const state = host.status?.provisioning?.state ?? '';
    const credentialsName = host.spec.bmc?.credentialsName;
    const secret = credentialsName && !WITHOUT_CREDENTIALS.has(state) ? await secrets.get(credentialsName) : undefined;
    const action = reconcile(host, secret, new Date(), options.config);
    if (action.host) await api.replace(action.host);
    else if (action.secret) await secrets.replace(action.secret);
    else if (action.status) {
      await api.replaceStatus({ ...host, status: action.status });
      const to = action.status.provisioning?.state ?? '';
      if (state !== to) options.onTransition?.(host.metadata.name, state, to);
    } else return action.requeueAfterMs ?? Number.POSITIVE_INFINITY;
  } catch (err) {
    const kind = classifyApiError(err).kind;
    if (kind !== 'conflict' && kind !== 'notFound') {
      options.onError?.(err);
      return 1000;
    }
  }
  return 0;
}
