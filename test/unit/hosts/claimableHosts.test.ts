import { describe, expect, it } from 'vitest';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { ClaimableHosts } from '../../../activities/hosts/claimableHosts.js';
import { inClaimOrder } from '../../../activities/hosts/claimOrder.js';
import { selectCandidates } from '../../../activities/hosts/eligibility.js';
import { claimedHost } from '../../../activities/hosts/originalRecord.js';
import type { HostRequest } from '../../../contracts/machineActivityContract.js';
import { availableHost } from './hostFixture.js';

const names = (hosts: Iterable<BareMetalHost>) => [...hosts].map((h) => h.metadata.name);
const me = { namespace: 'team-a', name: 'me' };
const compute: HostRequest = { selector: { matchLabels: { role: 'compute' } } };

/** The host cache as the index reads it: a snapshot, each host's latest version, and changes told by name. */
class FakeCache {
  readonly hosts = new Map<string, BareMetalHost>();
  synced = true;
  snapshots = 0;
  private readonly followers = new Set<(name: string | undefined) => void>();

  constructor(hosts: BareMetalHost[]) {
    for (const host of hosts) this.hosts.set(host.metadata.name, host);
  }

  snapshot = () => {
    this.snapshots++;
    return this.synced ? [...this.hosts.values()] : undefined;
  };
  latest = (name: string) => (this.synced ? this.hosts.get(name) : undefined);
  onAnyChange = (follower: (name: string | undefined) => void) => {
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  };

  /** A new version of a host (or its deletion), told as the informer tells it. */
  set(name: string, host: BareMetalHost | undefined): void {
    if (host) this.hosts.set(name, host);
    else this.hosts.delete(name);
    for (const follower of this.followers) follower(name);
  }

  loseSync(): void {
    this.synced = false;
    for (const follower of this.followers) follower(undefined);
  }

  regainSync(): void {
    this.synced = true;
    for (const follower of this.followers) follower(undefined);
  }
}

const offered = (index: ClaimableHosts, request: HostRequest = compute, random: () => number = Math.random) =>
  names(index.choose(request, me, random)?.candidates ?? []);

describe('the claimable hosts a claim reads from the cache', () => {
  it('offers the hosts a full read would, in the same order: smallest first, one size at random', () => {
    const hosts = [
      availableHost('big', { cpu: 64 }),
      availableHost('small-1', { cpu: 16 }),
      availableHost('small-2', { cpu: 16 }),
      availableHost('gpu', { cpu: 16, annotations: { 'capacity.metal3-provider.io/nvidia.com_gpu': '2' } }),
      availableHost('other-role', { cpu: 8, labels: { role: 'storage' } }),
      availableHost('busy', { cpu: 8, spec: { consumerRef: { name: 'x', namespace: 'team-b' } } }),
      availableHost('broken', {
        cpu: 8,
        status: { errorMessage: 'BMC unreachable', errorType: 'power management error' },
      }),
      availableHost('paused', { cpu: 8, annotations: { 'baremetalhost.metal3.io/paused': '' } }),
      availableHost('tiny', { cpu: 2 }),
    ];
    const order = offered(new ClaimableHosts(new FakeCache(hosts)), { ...compute, resources: { cpu: '4' } });
    const full = names(
      inClaimOrder(selectCandidates(hosts, { ...compute, resources: { cpu: '4' } }, me).candidates, Math.random),
    );
    expect(order.sort()).toEqual(full.sort());
    expect(order.sort()).toEqual(['big', 'gpu', 'small-1', 'small-2']);

    const sized = offered(new ClaimableHosts(new FakeCache(hosts)));
    expect(sized[0]).toBe('tiny');
    expect(sized.slice(1, 3).sort()).toEqual(['small-1', 'small-2']);
    expect(sized.slice(3)).toEqual(['big', 'gpu']);
  });

  it('keeps up with the cache host by host, without reading every host again', () => {
    const cache = new FakeCache([availableHost('a', { cpu: 16 }), availableHost('b', { cpu: 32 })]);
    const index = new ClaimableHosts(cache);
    expect(offered(index)).toEqual(['a', 'b']);
    const snapshots = cache.snapshots;

    cache.set('a', claimedHost(cache.hosts.get('a') as BareMetalHost, { namespace: 'team-b', name: 'other' }));
    expect(offered(index)).toEqual(['b']);
    cache.set('c', availableHost('c', { cpu: 8 }));
    expect(offered(index)).toEqual(['c', 'b']);
    // A host that grew (inspected again) moves to its new size.
    cache.set('c', availableHost('c', { cpu: 64 }));
    expect(offered(index)).toEqual(['b', 'c']);
    cache.set('b', undefined);
    expect(offered(index)).toEqual(['c']);
    cache.set('a', availableHost('a', { cpu: 16 }));
    expect(offered(index)).toEqual(['a', 'c']);
    expect(cache.snapshots).toBe(snapshots);
  });

  it('matches a full read after any sequence of changes', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const version = (name: string): BareMetalHost => {
      const r = random();
      const host = availableHost(name, { cpu: 8 << Math.floor(random() * 3) });
      if (r < 0.2) return claimedHost(host, { namespace: 'team-b', name: `m-${name}` });
      if (r < 0.3) return availableHost(name, { status: { provisioning: { state: 'provisioning' } } });
      if (r < 0.4) return availableHost(name, { labels: { role: 'storage' } });
      return host;
    };
    const cache = new FakeCache(Array.from({ length: 50 }, (_, i) => version(`h${i}`)));
    const index = new ClaimableHosts(cache);
    const request = { ...compute, resources: { cpu: '10' } };
    for (let step = 0; step < 500; step++) {
      const name = `h${Math.floor(random() * 60)}`;
      cache.set(name, random() < 0.1 ? undefined : version(name));
      if (step % 25 === 0) {
        const full = selectCandidates([...cache.hosts.values()], request, me).candidates;
        expect(offered(index, request).sort()).toEqual(names(full).sort());
      }
    }
  });

  it('starts again from a new snapshot after the cache lost sync, and offers nothing while it has none', () => {
    const cache = new FakeCache([availableHost('a'), availableHost('b')]);
    const index = new ClaimableHosts(cache);
    expect(offered(index).sort()).toEqual(['a', 'b']);
    cache.loseSync();
    // Changed while the cache was not following: no change was told.
    cache.hosts.set('a', claimedHost(availableHost('a'), { namespace: 'team-b', name: 'other' }));
    expect(index.choose(compute, me, Math.random)).toBeUndefined();
    cache.regainSync();
    expect(offered(index)).toEqual(['b']);
  });

  it("finds the claim's own host (a claim run again after its reply was lost) and skips excluded hosts", () => {
    const mine = claimedHost(availableHost('mine'), me);
    const cache = new FakeCache([mine, availableHost('a'), availableHost('b')]);
    const index = new ClaimableHosts(cache);
    expect(index.choose(compute, me, Math.random)?.ours?.metadata.name).toBe('mine');
    expect(index.choose(compute, { namespace: 'team-a', name: 'someone' }, Math.random)?.ours).toBeUndefined();
    expect(offered(index, { ...compute, excludedHosts: ['a'] })).toEqual(['b']);
    // Released: no longer this claim's.
    cache.set('mine', availableHost('mine'));
    expect(index.choose(compute, me, Math.random)?.ours).toBeUndefined();
  });

  it('reads the first candidate of 10,000 equal hosts with one random draw and no pass over the hosts', () => {
    const cache = new FakeCache(Array.from({ length: 10_000 }, (_, i) => availableHost(`h${i}`)));
    const index = new ClaimableHosts(cache);
    offered(index);
    let draws = 0;
    const counting = () => {
      draws++;
      return 0.5;
    };
    const snapshots = cache.snapshots;
    const first = index.choose(compute, me, counting)?.candidates[Symbol.iterator]().next();
    expect(first?.done).toBe(false);
    expect(draws).toBe(1);
    expect(cache.snapshots).toBe(snapshots);
  });

  it('offers hosts claimed by others meanwhile no more, and each host once, as a claim reads on', () => {
    const cache = new FakeCache(Array.from({ length: 20 }, (_, i) => availableHost(`h${i}`)));
    const index = new ClaimableHosts(cache);
    const reading = index.choose(compute, me, Math.random)?.candidates[Symbol.iterator]();
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const next = reading?.next();
      if (next && !next.done) seen.add(next.value.metadata.name);
    }
    // Another claim takes every host not yet offered but two.
    const left = [...cache.hosts.keys()].filter((name) => !seen.has(name));
    for (const name of left.slice(2)) {
      cache.set(name, claimedHost(cache.hosts.get(name) as BareMetalHost, { namespace: 'team-b', name: `o-${name}` }));
    }
    const rest = [...{ [Symbol.iterator]: () => reading as Iterator<BareMetalHost> }].map((h) => h.metadata.name);
    expect(rest.sort()).toEqual(left.slice(0, 2).sort());
    expect(seen.size).toBe(5);
  });

  it('never offers a host whose current version is not claimable, even from a node type no longer kept up to date', () => {
    const cache = new FakeCache(Array.from({ length: 6 }, (_, i) => availableHost(`h${i}`)));
    const index = new ClaimableHosts(cache);
    const reading = index.choose(compute, me, () => 0)?.candidates[Symbol.iterator]();
    const first = reading?.next();
    if (!first || first.done) throw new Error('the index offered no host');
    const taken = first.value.metadata.name;
    // The cache re-lists: the index starts again and stops updating what this claim reads.
    cache.loseSync();
    cache.regainSync();
    // Meanwhile another Machine takes every other host: its version in the cache is current, so a claim
    // written from it would not be refused.
    for (const [name, host] of cache.hosts) {
      if (name !== taken) {
        cache.set(name, claimedHost(host, { namespace: 'team-b', name: `o-${name}` }));
      }
    }
    expect(reading?.next().done).toBe(true);
  });

  it('follows a bounded number of node types, dropping the least recently used', () => {
    const cache = new FakeCache([availableHost('a', { cpu: 16 })]);
    const index = new ClaimableHosts(cache, 2);
    const type = (cpu: string): HostRequest => ({ ...compute, resources: { cpu } });
    offered(index, type('1'));
    offered(index, type('2'));
    offered(index, type('1'));
    const before = cache.snapshots;
    offered(index, type('3'));
    offered(index, type('1'));
    expect(cache.snapshots).toBe(before + 1);
    offered(index, type('2'));
    expect(cache.snapshots).toBe(before + 2);
  });
});
