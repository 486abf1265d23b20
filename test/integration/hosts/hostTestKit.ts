import { setTimeout as delay } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { createHostActivities } from '../../../activities/hosts/index.js';
import { classifyApiError } from '../../../k8s/apiErrors.js';
import {
  startBareMetalHostCache,
  type BareMetalHostCache,
  type BareMetalHostView,
} from '../../../k8s/bareMetalHostCache.js';
import type { InformerLogger } from '../../../k8s/runInformer.js';
import { createBareMetalHostApi, type BareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { startSimulator, type Simulator } from '../../../sim/controller.js';
import { SimConfig } from '../../../sim/settings.js';
import { createSimHosts, type SimHostsOptions } from '../../../sim/simHosts.js';

/** Fast simulated hardware: every step takes 50 ms unless a host's annotations say otherwise. */
export function startFastSimulator(kubeConfig: KubeConfig, namespace: string): Simulator {
  return startSimulator({
    kubeConfig,
    namespace,
    config: SimConfig.parse({ defaultDelayMs: 50 }),
    maxIdleMs: 500,
    onError: (err) => {
      // The API server throttles bursts (429) while many hosts change at once; the loop just retries.
      const { kind, message } = classifyApiError(err);
      if (kind !== 'transient') console.warn(`simulator: ${message}`);
    },
  });
}

/** Host activities with a fast heartbeat; give them `cache` to choose and wait as the worker's do. */
export function hostActivities(kubeConfig: KubeConfig, namespace: string, cache?: BareMetalHostView) {
  return createHostActivities({ kubeConfig, namespace, heartbeatIntervalMs: 200, ...(cache && { cache }) });
}

/** Resolves once `check()` holds, looking every 50 ms; fails naming what it waited for. */
export async function pollUntil(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await delay(50);
  }
}

/** Resolves once `cache` shows the host passing `test`: a claim that chooses from it can then find the host. */
export function untilCacheShows(
  cache: BareMetalHostView,
  name: string,
  test: (host: BareMetalHost) => boolean,
  timeoutMs = 30_000,
): Promise<void> {
  return pollUntil(
    () => cache.snapshot()?.some((host) => host.metadata.name === name && test(host)) ?? false,
    `the host cache to show ${name} as expected`,
    timeoutMs,
  );
}

/** A cache of the namespace's hosts as the worker keeps one, once it has listed; stop it when done. */
export async function startSyncedHostCache(
  kubeConfig: KubeConfig,
  namespace: string,
  logger: InformerLogger = { warn: () => undefined },
): Promise<BareMetalHostCache> {
  const cache = startBareMetalHostCache(kubeConfig, namespace, logger);
  try {
    await pollUntil(() => cache.synced(), `the BareMetalHost cache of namespace ${namespace} to sync`);
  } catch (err) {
    await cache.stop();
    throw err;
  }
  return cache;
}

/** Runs an activity function in a real activity context (heartbeats, cancellation). */
export function runActivity<I, O>(
  fn: (input: I) => Promise<O>,
  input: I,
  env = new MockActivityEnvironment(),
): Promise<O> {
  return env.run(fn, input);
}

export async function waitFor(
  api: BareMetalHostApi,
  name: string,
  test: (host: BareMetalHost) => boolean,
  timeoutMs = 30_000,
): Promise<BareMetalHost> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const host = await api.get(name);
    if (test(host)) return host;
    if (Date.now() > deadline)
      throw new Error(`host ${name} did not reach the expected state: ${JSON.stringify(host.status)}`);
    await delay(100);
  }
}

export const isAvailable = (host: BareMetalHost) => host.status?.provisioning?.state === 'available';

/** Creates hosts and waits until the simulator has brought them all to available. */
export async function createAvailableHosts(
  kubeConfig: KubeConfig,
  namespace: string,
  options: SimHostsOptions,
): Promise<string[]> {
  const names = await createSimHosts(kubeConfig, namespace, options);
  const api = createBareMetalHostApi(kubeConfig, namespace);
  for (const name of names) await waitFor(api, name, isAvailable, 60_000);
  return names;
}

/** The host as a user sees it: no status or server-managed metadata. */
export function userVisible(host: BareMetalHost): unknown {
  const {
    resourceVersion: _rv,
    managedFields: _mf,
    generation: _g,
    ...metadata
  } = host.metadata as Record<string, unknown>;
  const { status: _status, ...rest } = host;
  return JSON.parse(JSON.stringify({ ...rest, metadata })) as unknown;
}

export async function failureOf(
  promise: Promise<unknown>,
): Promise<{ type?: string; message: string; nonRetryable?: boolean; details?: unknown[] }> {
  try {
    await promise;
  } catch (err) {
    return err as { type?: string; message: string };
  }
  throw new Error('expected the activity to fail');
}
