import type { KubeConfig } from '@kubernetes/client-node';
import { classifyApiError } from '../k8s/apiErrors.js';
import { createBareMetalHostApi, type BareMetalHostApi } from '../k8s/bareMetalHosts.js';
import type { SimConfig } from './settings.js';
import { nextState } from './stateMachine.js';

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
 * The simulator's controller loop: list the hosts, apply `nextState` to each, write changed status
 * through the status subresource with the resourceVersion read (a conflict just means "look again"),
 * then sleep until the next delay is due or a watch event arrives.
 */
export function startSimulator(options: SimulatorOptions): Simulator {
  const api = createBareMetalHostApi(options.kubeConfig, options.namespace);
  const maxIdleMs = options.maxIdleMs ?? 5000;
  const onError = options.onError ?? (() => undefined);
  const state = { stopped: false };
  let wake: (() => void) | undefined;
  let watch: AbortController | undefined;
  let watching = false;

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
        const list = await api.list();
        const results = await Promise.all(list.items.map((host) => step(api, host, options)));
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
  const running = loop();

  return {
    async stop() {
      state.stopped = true;
      watch?.abort();
      wake?.();
      await running;
    },
  };
}

/** One host: write its next status if due; returns how long until it should be looked at again. */
async function step(
  api: BareMetalHostApi,
  host: Parameters<typeof nextState>[0],
  options: SimulatorOptions,
): Promise<number> {
  const transition = nextState(host, new Date(), options.config);
  if (!transition.status) return transition.requeueAfterMs ?? Number.POSITIVE_INFINITY;
  try {
    await api.replaceStatus({ ...host, status: transition.status });
    const from = host.status?.provisioning?.state ?? '';
    const to = transition.status.provisioning?.state ?? '';
    if (from !== to) options.onTransition?.(host.metadata.name, from, to);
  } catch (err) {
    const kind = classifyApiError(err).kind;
    if (kind !== 'conflict' && kind !== 'notFound') {
      options.onError?.(err);
      return 1000;
    }
  }
  return 0;
}
