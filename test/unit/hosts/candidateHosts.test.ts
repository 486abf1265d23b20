import { describe, expect, it } from 'vitest';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { hostsToChooseFrom, mayReadCache } from '../../../activities/hosts/candidateHosts.js';
import { inClaimOrder } from '../../../activities/hosts/claimOrder.js';
import { selectCandidates } from '../../../activities/hosts/eligibility.js';
import type { HostDeps } from '../../../activities/hosts/hostDeps.js';
import { claimedHost } from '../../../activities/hosts/originalRecord.js';
import type { BareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { availableHost } from './hostFixture.js';
import type { HostRequest } from '../../../contracts/machineActivityContract.js';

const machine = { namespace: 'team-a', name: 'm1' };
const other = { namespace: 'team-a', name: 'm2' };
const compute: HostRequest = { selector: { matchLabels: { role: 'compute' } } };

/** A namespace as the cache holds it: every host, of every node type and state. */
const namespaceHosts: BareMetalHost[] = [
  availableHost('c1', { cpu: 64 }),
  availableHost('c2', { cpu: 16 }),
  claimedHost(availableHost('c3'), other),
  availableHost('c4', { status: { provisioning: { state: 'provisioning' } } }),
  availableHost('c5', { annotations: { 'baremetalhost.metal3.io/paused': '' } }),
  availableHost('g1', { labels: { role: 'gpu' } }),
  claimedHost(availableHost('g2', { labels: { role: 'gpu' } }), machine),
];

const names = (hosts: readonly BareMetalHost[]) => hosts.map((h) => h.metadata.name);

describe('choosing from the cached hosts of a namespace', () => {
  it('selects exactly what a LIST by the node type selector would: the selector is applied in memory', () => {
    const listed = namespaceHosts.filter((h) => h.metadata.labels?.role === 'compute');
    const fromCache = selectCandidates(namespaceHosts, compute, machine);
    const fromList = selectCandidates(listed, compute, machine);
    expect(fromCache).toEqual(fromList);
    expect(names([...inClaimOrder(fromCache.candidates, () => 0.5)])).toEqual(['c2', 'c1']);
    expect(fromCache).toMatchObject({ matched: 5, excluded: { consumed: 1, notAvailable: 1, paused: 1 } });
    // g2 is this Machine's, but not of the requested node type: a LIST by selector would not return it either.
    expect(fromCache.ours).toBeUndefined();
  });

  it("finds the host this Machine already holds among the namespace's hosts of its node type", () => {
    const gpu = selectCandidates(namespaceHosts, { selector: { matchLabels: { role: 'gpu' } } }, machine);
    expect(gpu.ours?.metadata.name).toBe('g2');
    expect(names(gpu.candidates)).toEqual(['g1']);
  });
});

describe('where a claim reads the hosts it chooses among', () => {
  it('reads the cache only when it is synced, on a first attempt, in the first round', () => {
    expect(mayReadCache({ cacheSynced: true, retriedAttempt: false, round: 0 })).toBe(true);
    expect(mayReadCache({ cacheSynced: false, retriedAttempt: false, round: 0 })).toBe(false);
    expect(mayReadCache({ cacheSynced: true, retriedAttempt: true, round: 0 })).toBe(false);
    expect(mayReadCache({ cacheSynced: true, retriedAttempt: false, round: 1 })).toBe(false);
  });

  function depsWith(snapshot: BareMetalHost[] | undefined, retried = false) {
    const lists: { labelSelector?: string }[] = [];
    const hosts = {
      namespace: 'metal3-system',
      list: (options: { labelSelector?: string } = {}) => {
        lists.push(options);
        return Promise.resolve({ items: [namespaceHosts[0] as BareMetalHost], resourceVersion: '9' });
      },
    } as unknown as BareMetalHostApi;
    const deps = {
      hosts,
      cache: { snapshot: () => snapshot, firstListed: () => Promise.resolve() },
      isRetriedAttempt: () => retried,
    } as unknown as HostDeps;
    return { deps, lists };
  }

  it('takes a synced cache without any LIST', async () => {
    const { deps, lists } = depsWith(namespaceHosts);
    const read = await hostsToChooseFrom(deps, compute.selector, 0);
    expect(read.source).toBe('cache');
    expect(read.hosts).toBe(namespaceHosts);
    expect(lists).toEqual([]);
  });

  it('falls back to a LIST by selector before the cache has synced, on a retry and in later rounds', async () => {
    for (const [snapshot, retried, round] of [
      [undefined, false, 0],
      [namespaceHosts, true, 0],
      [namespaceHosts, false, 1],
    ] as const) {
      const { deps, lists } = depsWith(snapshot, retried);
      const read = await hostsToChooseFrom(deps, compute.selector, round);
      expect(read.source).toBe('list');
      expect(names(read.hosts)).toEqual(['c1']);
      expect(lists).toEqual([{ labelSelector: 'role=compute' }]);
    }
  });

  it('LISTs as before when the worker keeps no cache', async () => {
    const { deps, lists } = depsWith(undefined);
    delete (deps as { cache?: unknown }).cache;
    expect((await hostsToChooseFrom(deps, compute.selector, 0)).source).toBe('list');
    expect(lists).toHaveLength(1);
  });
});
