import type { BareMetalHost } from '../../api/bareMetalHost.js';

/** How long a host this worker just tried stays "taken" here: long enough for the cache's watch to show the claim. */
const RECENT_MS = 5_000;

/**
 * Hosts this worker is claiming, or claimed moments ago, in one namespace. Claims that start
 * together read the same cache snapshot and would pick the same hosts; trying those hosts last
 * spares a 409 and a re-read each. Only the order changes, never eligibility: a host held here in
 * error is still tried, just after the others.
 */
export class LocalClaims {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Marks `name` as being claimed here; the returned function ends the claim (kept a little longer). */
  begin(name: string): () => void {
    this.until.set(name, Number.POSITIVE_INFINITY);
    return () => {
      this.until.set(name, this.now() + RECENT_MS);
    };
  }

  /** `candidates` with the hosts held here moved last, each group in its original order; read as the claim goes. */
  *order(candidates: Iterable<BareMetalHost>): Generator<BareMetalHost> {
    const now = this.now();
    for (const [name, until] of this.until) if (until <= now) this.until.delete(name);
    const held: BareMetalHost[] = [];
    for (const host of candidates) {
      if (this.until.has(host.metadata.name)) held.push(host);
      else yield host;
    }
    yield* held;
  }
}
