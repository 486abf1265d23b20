import type { BareMetalHost } from '../../api/bareMetalHost.js';
import type { BareMetalHostView } from '../../k8s/bareMetalHostCache.js';
import type { HostRequest } from '../../contracts/machineActivityContract.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import { compareSizes } from './claimOrder.js';
import { CONSUMER_API_VERSION, CONSUMER_KIND, isConsumedBy } from './consumerRef.js';
import { hostEligibility } from './eligibility.js';
import { hostSize } from './resourceFit.js';

/** Node types followed at once in one namespace; the least recently used is dropped past this. */
const MAX_SHAPES = 32;
/** Random picks tried in a size before the names not yet offered are gathered (only a claim that lost most of them). */
const RANDOM_PICKS = 4;
/** A Machine no host is consumed by: a host consumed by any Machine is not claimable. */
const NOBODY: MachineRef = { namespace: '', name: '' };

/** What a claim reads from the index: its own host after a lost reply, and the others in claim order. */
export interface IndexedChoice {
  ours?: BareMetalHost;
  candidates: Iterable<BareMetalHost>;
}

/** The cache as the index reads it. */
export type ClaimableHostsSource = Pick<BareMetalHostView, 'snapshot' | 'latest' | 'onAnyChange'>;

/**
 * The claimable hosts of one namespace per node type (selector and resources), grouped by size and kept
 * up to date from the host cache's changes, so that a claim costs the same at 100 or 100,000 hosts: it reads
 * the smallest size's hosts at random, not every host. A node type's hosts are worked out from the cache's
 * snapshot at its first claim, then host by host as they change; when the cache loses sync everything is
 * worked out again. Membership is `hostEligibility` for a Machine that consumes nothing, the same test a
 * claim that reads every host applies, so both offer the same hosts in the same order (claimOrder.ts).
 */
export class ClaimableHosts {
  private readonly shapes = new Map<string, SizedHosts>();
  /** Host name → "namespace/name" of the NodeClaim that consumes it, and back, to find a claim's own host. */
  private readonly consumerOf = new Map<string, string>();
  private readonly consumed = new Map<string, Set<string>>();
  private current = false;
  private following = false;

  constructor(
    private readonly cache: ClaimableHostsSource,
    private readonly maxShapes = MAX_SHAPES,
  ) {}

  /** The hosts to try for `request`, or undefined while the cache has no snapshot to start from. */
  choose(request: HostRequest, machine: MachineRef, random: () => number): IndexedChoice | undefined {
    if (!this.following) {
      this.following = true;
      this.cache.onAnyChange((name) => {
        if (name === undefined) this.forget();
        else this.update(name);
      });
    }
    if (!this.current && !this.start()) return undefined;
    const shape = this.shape(request);
    if (!shape) return undefined;
    const ours = this.ours(machine);
    return { ...(ours && { ours }), candidates: this.hostsOf(shape.names(random), request, machine) };
  }

  /** Every host may have changed unseen: start again from the next snapshot. */
  private forget(): void {
    this.current = false;
    this.shapes.clear();
    this.consumerOf.clear();
    this.consumed.clear();
  }

  private start(): boolean {
    const hosts = this.cache.snapshot();
    if (!hosts) return false;
    for (const host of hosts) this.noteConsumer(host.metadata.name, host);
    this.current = true;
    return true;
  }

  private update(name: string): void {
    if (!this.current) return;
    const host = this.cache.latest(name);
    this.noteConsumer(name, host);
    for (const shape of this.shapes.values()) shape.update(name, host);
  }

  private shape(request: HostRequest): SizedHosts | undefined {
    const key = JSON.stringify([request.selector, request.resources ?? null]);
    let shape = this.shapes.get(key);
    if (shape) {
      // Most recently used last: the first is the one dropped.
      this.shapes.delete(key);
    } else {
      const hosts = this.cache.snapshot();
      if (!hosts) return undefined;
      shape = new SizedHosts({
        selector: request.selector,
        ...(request.resources && { resources: request.resources }),
      });
      for (const host of hosts) shape.update(host.metadata.name, host);
      if (this.shapes.size >= this.maxShapes) this.shapes.delete(this.shapes.keys().next().value ?? '');
    }
    this.shapes.set(key, shape);
    return shape;
  }

  private noteConsumer(name: string, host: BareMetalHost | undefined): void {
    const before = this.consumerOf.get(name);
    const ref = host?.spec.consumerRef;
    const after = ref?.apiVersion === CONSUMER_API_VERSION && ref.kind === CONSUMER_KIND ? consumerKey(ref) : undefined;
    if (before === after) return;
    if (before !== undefined) {
      this.consumerOf.delete(name);
      const names = this.consumed.get(before);
      names?.delete(name);
      if (names?.size === 0) this.consumed.delete(before);
    }
    if (after !== undefined) {
      this.consumerOf.set(name, after);
      let names = this.consumed.get(after);
      if (!names) this.consumed.set(after, (names = new Set()));
      names.add(name);
    }
  }

  private ours(machine: MachineRef): BareMetalHost | undefined {
    for (const name of this.consumed.get(consumerKey(machine)) ?? []) {
      const host = this.cache.latest(name);
      if (host && isConsumedBy(host, machine)) return host;
    }
    return undefined;
  }

  /**
   * The cache's current version of each name, as the claim reads on, if it is claimable: the claim's write is
   * guarded by this version, so it must be checked here (a node type dropped, or forgotten at a resync, while
   * a claim reads on is no longer kept up to date). Excluded hosts and hosts gone meanwhile are skipped.
   */
  private *hostsOf(names: Iterable<string>, request: HostRequest, machine: MachineRef): Generator<BareMetalHost> {
    for (const name of names) {
      const host = this.cache.latest(name);
      if (host && hostEligibility(host, request, machine).eligible) yield host;
    }
  }
}

function consumerKey(ref: { namespace?: string | undefined; name: string }): string {
  return `${ref.namespace ?? ''}/${ref.name}`;
}

/** One node type's claimable hosts, by size, smallest first. */
class SizedHosts {
  private readonly sizes: SizeGroup[] = [];
  private readonly groupOf = new Map<string, SizeGroup>();

  constructor(private readonly request: HostRequest) {}

  update(name: string, host: BareMetalHost | undefined): void {
    const was = this.groupOf.get(name);
    if (was) {
      was.remove(name);
      this.groupOf.delete(name);
      if (was.names.length === 0) this.sizes.splice(this.sizes.indexOf(was), 1);
    }
    if (!host || !hostEligibility(host, this.request, NOBODY).eligible) return;
    const size = hostSize(host);
    let at = 0;
    while (at < this.sizes.length && compareSizes((this.sizes[at] as SizeGroup).size, size) < 0) at++;
    let group = this.sizes[at];
    if (!group || compareSizes(group.size, size) !== 0) {
      group = new SizeGroup(size);
      this.sizes.splice(at, 0, group);
    }
    group.add(name);
    this.groupOf.set(name, group);
  }

  /**
   * Names in claim order, read from the live groups as the claim goes (claims of other Machines change them
   * meanwhile): a random one not yet offered from the smallest size that has one, each offered once.
   */
  *names(random: () => number): Generator<string> {
    const offered = new Set<string>();
    let past: readonly number[] | undefined;
    for (;;) {
      const group = this.sizes.find((g) => past === undefined || compareSizes(g.size, past) > 0);
      if (!group) return;
      const name = group.pick(random, offered);
      if (name === undefined) {
        past = group.size;
        continue;
      }
      offered.add(name);
      yield name;
    }
  }
}

/** The hosts of one size: an array to pick from at random, and each name's place in it to remove it at once. */
class SizeGroup {
  readonly names: string[] = [];
  private readonly at = new Map<string, number>();

  constructor(readonly size: readonly number[]) {}

  add(name: string): void {
    this.at.set(name, this.names.length);
    this.names.push(name);
  }

  remove(name: string): void {
    const i = this.at.get(name);
    if (i === undefined) return;
    this.at.delete(name);
    const last = this.names.pop() as string;
    if (last !== name) {
      this.names[i] = last;
      this.at.set(last, i);
    }
  }

  /** A random name not in `offered`, or undefined when every one is. */
  pick(random: () => number, offered: ReadonlySet<string>): string | undefined {
    for (let tries = 0; tries < RANDOM_PICKS && this.names.length > 0; tries++) {
      const name = this.names[Math.floor(random() * this.names.length)] as string;
      if (!offered.has(name)) return name;
    }
    const left = this.names.filter((name) => !offered.has(name));
    return left.length > 0 ? left[Math.floor(random() * left.length)] : undefined;
  }
}
