// Claim selection benchmark: the CPU a claim spends choosing its first candidate among the hosts of its namespace, at
// 1,000 to 50,000 hosts, half of the 1,000 or 1,000 of the others held by Machines. Each claim then takes its host,
// which the host cache tells as a change, as the worker's watch does. `scan` reads every host as the claim did
// before the index (the cache's snapshot, `selectCandidates`, the first of `inClaimOrder`); `index` reads the
// claimable hosts the cache keeps by node type and size (`ClaimableHosts`), including keeping it up to date.
// Rounds interleave the two; median and best of the rounds are reported.
// Usage: npx tsx bench/claims/run.ts [--rounds 7] [--claims 200] [--out <file>]   (default ../results/claims.md)
// To time the code as the worker runs it, compile it first (`npx tsc -p tsconfig.json --outDir <dir>`, the
// directory inside the checkout so that packages resolve) and run `node <dir>/bench/claims/run.js`.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { ClaimableHosts, type ClaimableHostsSource } from '../../activities/hosts/claimableHosts.js';
import { inClaimOrder } from '../../activities/hosts/claimOrder.js';
import { selectCandidates } from '../../activities/hosts/eligibility.js';
import { claimedHost } from '../../activities/hosts/originalRecord.js';
import type { HostRequest } from '../../contracts/machineActivityContract.js';
import { interleavedRounds, machineDescription, writeResults } from '../interleavedRounds.js';
import { medianAndBest } from '../median.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    claims: { type: 'string', default: '200' },
    out: { type: 'string', default: fileURLToPath(new URL('../results/claims.md', import.meta.url)) },
  },
});
const ROUNDS = Number(values.rounds);
const CLAIMS = Number(values.claims);
const FLEETS = [1_000, 5_000, 10_000, 50_000];
/** Hosts held by Machines: a claim in the middle of a 1,000-Machine run. */
const held = (size: number): number => Math.min(1_000, size / 2);

const request: HostRequest = {
  selector: { matchLabels: { role: 'compute' } },
  resources: { cpu: '8', memory: '32Gi', 'ephemeral-storage': '100Gi' },
};

/** An inspected host as BMO leaves it, in one of four sizes. */
function host(index: number): BareMetalHost {
  const name = `host-${String(index).padStart(5, '0')}`;
  return {
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name, namespace: 'metal3-system', resourceVersion: String(index + 1), labels: { role: 'compute' } },
    spec: { bmc: { address: `redfish://10.0.0.1/${name}`, credentialsName: `${name}-bmc` }, online: false },
    status: {
      provisioning: { state: 'available' },
      operationalStatus: 'OK',
      hardware: {
        cpu: { count: 16 << (index % 4) },
        ramMebibytes: 65536 << (index % 4),
        storage: [{ sizeBytes: 480e9 }, { sizeBytes: 960e9 }],
      },
    },
  };
}

/** The worker's host cache as claims read it: one object per host version, changes told by name. */
class Fleet implements ClaimableHostsSource {
  readonly hosts = new Map<string, BareMetalHost>();
  private readonly followers: ((name: string | undefined) => void)[] = [];

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const h = i < held(size) ? claimedHost(host(i), { namespace: 'team-a', name: `machine-${i}` }) : host(i);
      this.hosts.set(h.metadata.name, h);
    }
  }

  snapshot = (): BareMetalHost[] => [...this.hosts.values()];
  latest = (name: string): BareMetalHost | undefined => this.hosts.get(name);
  onAnyChange = (follower: (name: string | undefined) => void): (() => void) => {
    this.followers.push(follower);
    return () => undefined;
  };

  claim(chosen: BareMetalHost, claim: number): void {
    this.hosts.set(chosen.metadata.name, claimedHost(chosen, { namespace: 'team-a', name: `new-${claim}` }));
    for (const follower of this.followers) follower(chosen.metadata.name);
  }
}

type Mode = 'scan' | 'index';

function first<T>(items: Iterable<T>): T | undefined {
  for (const item of items) return item;
  return undefined;
}

/** Milliseconds of CPU per claim on a fleet of `size` hosts whose claims were weighed before (the steady state). */
function perClaim(size: number, mode: Mode): number {
  const fleet = new Fleet(size);
  const index = new ClaimableHosts(fleet);
  const choose = (claim: number): BareMetalHost | undefined => {
    const machine = { namespace: 'team-a', name: `new-${claim}` };
    if (mode === 'index') return first(index.choose(request, machine, Math.random)?.candidates ?? []);
    const { candidates } = selectCandidates(fleet.snapshot(), request, machine);
    return first(inClaimOrder(candidates, Math.random));
  };
  // Every host weighed once, as a running worker has.
  choose(-1);
  const start = process.cpuUsage();
  for (let claim = 0; claim < CLAIMS; claim++) {
    const chosen = choose(claim);
    if (!chosen) throw new Error(`no host left for claim ${claim} of ${size} hosts`);
    fleet.claim(chosen, claim);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / CLAIMS;
}

const cell = (xs: number[]): string => medianAndBest(xs, 3);

const rows: string[] = [];
for (const size of FLEETS) {
  const times = await interleavedRounds(['scan', 'index'], ROUNDS, (mode) => perClaim(size, mode));
  const row = `| ${size} | ${held(size)} | ${cell(times.scan)} | ${cell(times.index)} |`;
  console.log(row);
  rows.push(row);
}

const machine = machineDescription();
await writeResults(values.out, [
  '# Claim selection benchmark',
  '',
  `Machine: ${machine}. ${ROUNDS} rounds of ${CLAIMS} claims per fleet size, the two ways interleaved; CPU ms per`,
  'claim choosing its first candidate, then taking it (told to the index as the watch tells it), median and best',
  'of the rounds. Every host matches the selector; the request is 8 CPUs, 32Gi of memory and 100Gi of disk.',
  '',
  '| hosts | held by Machines | scan: ms per claim | index: ms per claim |',
  '|---:|---:|---:|---:|',
  ...rows,
  '',
]);
