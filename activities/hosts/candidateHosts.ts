import type { BareMetalHost } from '../../api/bareMetalHost.js';
import type { LabelSelector } from '../../api/labelSelector.js';
import { labelSelectorQuery } from '../../k8s/labelSelector.js';
import type { ClaimHostInput } from '../../contracts/machineActivityContract.js';
import type { IndexedChoice } from './claimableHosts.js';
import type { HostDeps } from './hostDeps.js';

export type HostSource = 'cache' | 'list';

/** How long a claim waits for a starting cache's first list before it LISTs by itself. */
const FIRST_LIST_WAIT_MS = 20_000;

/**
 * Whether a claim may choose among the shared cache's hosts rather than LIST them. The cache may
 * lag the server, which the resourceVersion-guarded claim tolerates (a stale candidate is a 409),
 * except in two cases read fresh: a retried attempt, whose previous attempt may have claimed a host
 * whose change the cache has not seen yet (a claim by LIST finds it and returns it, instead of taking
 * a second host); and a further round after every candidate was lost, which a stale cache would
 * only repeat.
 */
export function mayReadCache(options: { cacheSynced: boolean; retriedAttempt: boolean; round: number }): boolean {
  return options.cacheSynced && !options.retriedAttempt && options.round === 0;
}

/**
 * The claimable hosts the cache's index offers for a claim's node type, in claim order, where the claim may
 * read the cache (as for `hostsToChooseFrom`); undefined where it may not, or the worker keeps no index.
 */
export async function indexedChoice(
  deps: HostDeps,
  input: ClaimHostInput,
  round: number,
): Promise<IndexedChoice | undefined> {
  if (!deps.cache || !deps.claimable) return undefined;
  if (!deps.cache.synced()) await deps.cache.firstListed(FIRST_LIST_WAIT_MS);
  if (!mayReadCache({ cacheSynced: deps.cache.synced(), retriedAttempt: deps.isRetriedAttempt(), round })) {
    return undefined;
  }
  return deps.claimable.choose(input, input.machine, deps.random);
}

/** The hosts a claim chooses among: the cache's snapshot where allowed and synced, else a LIST by selector as before. */
export async function hostsToChooseFrom(
  deps: HostDeps,
  selector: LabelSelector,
  round: number,
): Promise<{ hosts: readonly BareMetalHost[]; source: HostSource }> {
  // A worker's first claims come before its cache has listed: a thousand of them each listing every
  // host of a large namespace would swamp the API server, so they wait for the one list instead.
  if (deps.cache && deps.cache.snapshot() === undefined) await deps.cache.firstListed(FIRST_LIST_WAIT_MS);
  const snapshot = deps.cache?.snapshot();
  if (mayReadCache({ cacheSynced: snapshot !== undefined, retriedAttempt: deps.isRetriedAttempt(), round })) {
    // The selector is applied in memory, by selectCandidates, exactly as the server applies it to a LIST.
    return { hosts: snapshot ?? [], source: 'cache' };
  }
  const labelSelector = labelSelectorQuery(selector);
  const { items } = await deps.hosts.list(labelSelector ? { labelSelector } : {});
  return { hosts: items, source: 'list' };
}
