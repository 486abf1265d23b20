// Boot server benchmarks: decoder fuzzing (1,000,000 inputs by default), memory with 10,000 hosts
// indexed, reply-logic throughput, DORA exchanges per second with perfdhcp against dnsmasq and Kea,
// and TFTP throughput on loopback against tftpd-hpa and atftpd.
// Run: node --expose-gc --import tsx bench/dhcp/run.ts [fuzz-iterations]   writes bench/dhcp/results.md;
//      node --import tsx bench/dhcp/run.ts --tftp-only [rounds]             prints the TFTP table only;
//      node --import tsx bench/dhcp/run.ts --dora-only [rounds]             prints the DORA table only.
//      bench/dhcp/install-peers.sh installs perfdhcp, dnsmasq, Kea, tftpd-hpa and atftpd first.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BareMetalHost } from '../../api/bareMetalHost.js';
import { decodeDhcpPacket } from '../../dhcp/dhcpv4/decodeDhcpPacket.js';
import { encodeDhcpPacket } from '../../dhcp/dhcpv4/encodeDhcpPacket.js';
import { handleDhcpPacket } from '../../dhcp/dhcpv4/handleDhcpPacket.js';
import { HostIndex } from '../../dhcp/hosts/hostIndex.js';
import { dhcpCorpus, fuzzDecoders } from '../../test/support/dhcpDecoderFuzz.js';
import { measureDoraRates, type DoraFigure } from './doraRate.js';
import { median } from '../median.js';
import { measureTftpThroughput, tftpTable } from './tftpThroughput.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const gc = (globalThis as { gc?: () => void }).gc;

function heapMiB(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function macOf(i: number): string {
  return ['aa', 'bb', ...[(i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, 1].map((b) => b.toString(16).padStart(2, '0'))]
    .slice(0, 6)
    .join(':');
}

function hostIndexWith(count: number): HostIndex {
  const index = new HostIndex();
  for (let i = 0; i < count; i++) {
    index.updateFromBareMetalHost(
      BareMetalHost.parse({
        apiVersion: 'metal3.io/v1alpha1',
        kind: 'BareMetalHost',
        metadata: {
          name: `server-${i}`,
          namespace: 'metal3-system',
          annotations: {
            'metal3.vcluster.com/ip-address': `10.${(i >> 8) & 0xff}.${i & 0xff}.10/8`,
            'metal3.vcluster.com/dns-servers': '10.0.0.53',
          },
        },
        spec: { bootMACAddress: macOf(i) },
        status: { provisioning: { state: 'available' } },
      }),
    );
  }
  return index;
}

function fuzzRun(iterations: number): string {
  const checkpoints: number[] = [heapMiB()];
  const started = Date.now();
  let failures: string[] = [];
  let replies = 0;
  let repliesToRandom = 0;
  const slice = Math.ceil(iterations / 10);
  for (let done = 0, round = 0; done < iterations; done += slice, round++) {
    const report = fuzzDecoders(1000 + round, Math.min(slice, iterations - done));
    failures = failures.concat(report.failures);
    replies += report.dhcp.replies;
    repliesToRandom += report.dhcp.repliesToRandom;
    checkpoints.push(heapMiB());
  }
  const seconds = (Date.now() - started) / 1000;
  return [
    `- inputs: ${2 * iterations} (${iterations} DHCP + ${iterations} TFTP, half random, half mutated real packets) in ${seconds.toFixed(1)} s`,
    `- exceptions or undecodable replies: ${failures.length}; replies to random input: ${repliesToRandom}; replies to mutated known-host packets: ${replies}`,
    `- heap after GC at each tenth (MiB): ${checkpoints.map((m) => m.toFixed(1)).join(', ')}`,
  ].join('\n');
}

function replyThroughput(index: HostIndex): string {
  const discover = dhcpCorpus()[0] ?? Buffer.alloc(0);
  const settings = {
    serverIp: '10.0.0.2',
    serverPort: 67,
    clientPort: 68,
    leaseSeconds: 3600,
    tftpEnabled: true,
    httpBaseUrl: 'http://10.0.0.2:8080',
    bootFiles: new Set(['snponly.efi']),
  };
  const packets = Array.from({ length: 1000 }, (_, i) => {
    const copy = Buffer.from(discover);
    Buffer.from(macOf(i).replace(/:/g, ''), 'hex').copy(copy, 28);
    return copy;
  });
  const rounds = 200;
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (const packet of packets) {
      const decoded = decodeDhcpPacket(packet);
      if (!decoded.ok) throw decoded.error;
      const outcome = handleDhcpPacket(decoded.packet, index, settings);
      if (outcome.kind !== 'reply') throw new Error('expected a reply');
      encodeDhcpPacket(outcome.packet, outcome.maxLength);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return `- decode + decide + encode of a PXE DISCOVER for 1,000 known hosts: ${Math.round((rounds * packets.length) / seconds).toLocaleString('en')} packets/s (one core, no sockets)`;
}

function doraTable(figures: DoraFigure[]): string {
  const rate = (value: number | undefined) => (value === undefined ? 'n/a' : value.toFixed(0));
  return [
    '| server | runs | best DORA/s | median DORA/s | every run | drops per run (DISCOVER/REQUEST) |',
    '|---|---|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| ${f.server} | ${f.rates.length}${f.failures.length > 0 ? ` (${f.failures.length} failed: ${f.failures.join('; ')})` : ''} | ${rate(f.rates.length ? Math.max(...f.rates) : undefined)} | ${rate(median(f.rates))} | ${f.rates.map((r) => r.toFixed(0)).join(', ')} | ${f.drops.join(', ')} |`,
    ),
  ].join('\n');
}

const DORA_HEADING =
  '## DHCP DORA rate (perfdhcp as a relay, 1,000 known hosts, offered 20,000/s for 10 s, two namespaces, the server pinned to one core and perfdhcp to the other, 3 rounds with the servers interleaved)';

const TFTP_HEADING =
  '## TFTP throughput (loopback, atftp client, one 64 MiB file, 5 rounds with the servers interleaved; CPU: ours from process.cpuUsage, the others from perf stat task-clock of the daemon and its children)';

function machine(): string {
  return `Machine: ${cpus().length} CPUs (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory; Node ${process.version}; load average at start ${loadavg()[0]?.toFixed(1)}. The machine is shared, so absolute figures vary between runs.`;
}

if (process.argv[2] === '--dora-only') {
  const rounds = Number(process.argv[3] ?? 3);
  process.stdout.write(
    `${machine()}\n\n${doraTable(await measureDoraRates(path.resolve(here, '..', '..'), rounds))}\n`,
  );
} else if (process.argv[2] === '--tftp-only') {
  const rounds = Number(process.argv[3] ?? 5);
  const header = machine();
  process.stdout.write(`${header}\n\n${tftpTable(await measureTftpThroughput(rounds))}\n`);
} else {
  const iterations = Number(process.argv[2] ?? 500_000);
  const header = machine();
  const before = heapMiB();
  const index = hostIndexWith(10_000);
  const indexed = heapMiB() - before;
  const sections = [
    '# Boot server benchmarks',
    '',
    header,
    '',
    '## Host index',
    `- 10,000 BareMetalHosts indexed: ${indexed.toFixed(1)} MiB of heap (${((indexed * 2 ** 20) / 10_000).toFixed(0)} bytes per host)`,
    '',
    '## DHCP reply logic',
    replyThroughput(index),
    '',
    '## Decoder fuzzing',
    fuzzRun(iterations),
    '',
    DORA_HEADING,
    doraTable(await measureDoraRates(path.resolve(here, '..', '..'))),
    '',
    TFTP_HEADING,
    tftpTable(await measureTftpThroughput()),
    `Load average after the run: ${loadavg()[0]?.toFixed(1)}.`,
    '',
  ];
  await writeFile(path.join(here, 'results.md'), sections.join('\n'));
  process.stdout.write(`${sections.join('\n')}\n`);
}
