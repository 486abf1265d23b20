// Host cache memory benchmark: the heap the worker's host cache keeps for the BareMetalHosts of a namespace, as
// real BMO leaves them (rebuilt from a recording), at 1,000 to 50,000 hosts. `copies` keeps the informer's objects
// and BareMetalHost.parse's copy of each beside them, as the cache did; `shared` keeps the informer's objects only,
// each checked by the same parse once. Rounds interleave the two; median and best of the rounds are reported.
// Usage: node --expose-gc --import tsx bench/hostCache/run.ts [--rounds 3] [--out <file>]   (default ../results/hostCache.md)
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BareMetalHost } from '../../api/bareMetalHost.js';
import { recordedHost } from '../../test/support/bmoConformance/recordedHost.js';
import { interleavedRounds, machineDescription, writeResults } from '../interleavedRounds.js';
import { medianAndBest } from '../median.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    out: { type: 'string', default: fileURLToPath(new URL('../results/hostCache.md', import.meta.url)) },
  },
});
const ROUNDS = Number(values.rounds);
const FLEETS = [1_000, 10_000, 50_000];
const RECORDING = new URL('../../test/fixtures/bmo/provision.json', import.meta.url);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

/** An inspected, available host as the real BMO of the recording left it, as JSON the informer would parse. */
const hostJson = JSON.stringify(recordedHost(RECORDING, 'available', 'host-00000'));

type Mode = 'copies' | 'shared';

/** MiB of heap kept for `size` hosts. */
function kept(size: number, mode: Mode): number {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const informer: unknown[] = [];
  const copies: BareMetalHost[] = [];
  for (let i = 0; i < size; i++) {
    const object = JSON.parse(hostJson.replaceAll('host-00000', `host-${String(i).padStart(5, '0')}`)) as unknown;
    informer.push(object);
    const parsed = BareMetalHost.parse(object);
    if (mode === 'copies') copies.push(parsed);
  }
  gc?.();
  gc?.();
  const after = process.memoryUsage().heapUsed;
  // Keep both alive until measured.
  if (informer.length + copies.length === 0) throw new Error('nothing built');
  return (after - before) / 2 ** 20;
}

const cell = (xs: number[]): string => medianAndBest(xs, 1);

const rows: string[] = [];
for (const size of FLEETS) {
  const mib = await interleavedRounds(['copies', 'shared'], ROUNDS, (mode) => kept(size, mode));
  const row = `| ${size} | ${cell(mib.copies)} | ${cell(mib.shared)} |`;
  console.log(row);
  rows.push(row);
}

const machine = machineDescription();
await writeResults(values.out, [
  '# Host cache memory benchmark',
  '',
  `Machine: ${machine}. ${ROUNDS} rounds per fleet size, the two ways interleaved; MiB of heap kept for the hosts`,
  `(after a full collection), median and best of the rounds. Each host is ${hostJson.length} bytes of JSON, an`,
  'available host as the real BMO of `test/fixtures/bmo/provision.json` left it.',
  '',
  '| hosts | copies: MiB kept | shared: MiB kept |',
  '|---:|---:|---:|',
  ...rows,
  '',
]);
