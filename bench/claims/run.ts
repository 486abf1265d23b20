// Claim selection benchmark: the CPU a claim spends choosing its first candidate among the hosts of its namespace, at
// 1,000, 5,000 and 10,000 hosts, half of the 1,000 or 1,000 of the others held by Machines. "weighed before" is the worker's
// steady state (the host cache hands out one object per host version, so each host's capacity and size
// are already known); "first sight" gives every claim new objects, as every claim cost before they were
// kept per version. Rounds interleave the two; median and best of the rounds are reported.
// Usage: npx tsx bench/claims/run.ts [--rounds 7] [--claims 200]   Writes ../results/claims.md from where it runs.
// To time the code as the worker runs it, compile it first (`npx tsc -p tsconfig.json --outDir <dir>`, the
// directory inside the checkout so that packages resolve) and run `node <dir>/bench/claims/run.js`.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { inClaimOrder } from '../../activities/hosts/claimOrder.js';
import { selectCandidates } from '../../activities/hosts/eligibility.js';
import { claimedHost } from '../../activities/hosts/originalRecord.js';
import type { HostRequest } from '../../contracts/machineActivityContract.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '7' }, claims: { type: 'string', default: '200' } },
});
const ROUNDS = Number(values.rounds);
const CLAIMS = Number(values.claims);
const FLEETS = [1_000, 5_000, 10_000];
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

function fleet(size: number): BareMetalHost[] {
  return Array.from({ length: size }, (_, i) =>
    i < held(size) ? claimedHost(host(i), { namespace: 'team-a', name: `machine-${i}` }) : host(i),
  );
}

/** Milliseconds of CPU per claim: each claim weighs `hostsFor(claim)`. */
function perClaim(hostsFor: (claim: number) => BareMetalHost[]): number {
  const inputs = Array.from({ length: CLAIMS }, (_, claim) => hostsFor(claim));
  const start = process.cpuUsage();
  for (const [claim, hosts] of inputs.entries()) {
    const { candidates } = selectCandidates(hosts, request, { namespace: 'team-a', name: `new-${claim}` });
    inClaimOrder(candidates, Math.random).next();
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / CLAIMS;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const rows: string[] = [];
for (const size of FLEETS) {
  const hosts = fleet(size);
  const times = { cached: [] as number[], fresh: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['cached', 'fresh'] as const) : (['fresh', 'cached'] as const);
    for (const mode of order) {
      times[mode].push(perClaim(() => (mode === 'cached' ? hosts : hosts.map((h) => structuredClone(h)))));
    }
  }
  const row = `| ${size} | ${held(size)} | ${median(times.fresh).toFixed(2)} / ${Math.min(...times.fresh).toFixed(2)} | ${median(times.cached).toFixed(2)} / ${Math.min(...times.cached).toFixed(2)} |`;
  console.log(row);
  rows.push(row);
}

const machine = `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average at start ${loadavg()[0]?.toFixed(1) ?? '?'}`;
const results = new URL('../results/claims.md', import.meta.url);
await mkdir(new URL('.', results), { recursive: true });
await writeFile(
  results,
  [
    '# Claim selection benchmark',
    '',
    `Machine: ${machine}. ${ROUNDS} rounds of ${CLAIMS} claims per fleet size, the two modes interleaved;`,
    "CPU ms per claim choosing its first candidate among the namespace's hosts (`selectCandidates`, then the first",
    'of `inClaimOrder`), median / best of the rounds.',
    'Every host matches the selector; the request is 8 CPUs, 32Gi of memory and 100Gi of disk.',
    '',
    '| hosts | held by Machines | first sight of each host: ms per claim | hosts weighed before: ms per claim |',
    '|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);
