import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * DHCP DORA exchanges per second for 1,000 known hosts, measured with perfdhcp (as a relay, so
 * every server answers by unicast to giaddr) against our server, dnsmasq and Kea, each configured
 * with the same 1,000 reservations. Everything runs in two network namespaces created here.
 */

/** One server over all rounds: the rate of each run that completed, and what went wrong otherwise. */
export interface DoraFigure {
  server: string;
  rates: number[];
  /** perfdhcp's drop counts (DISCOVER/REQUEST) of each completed run. */
  drops: string[];
  failures: string[];
}

const HOSTS = 1000;
const SERVER = '10.213.40.1';
const RELAY = '10.213.40.2';
const SECONDS = 10;
const TARGET_RATE = 20_000;
/**
 * The server on one core and perfdhcp on the other: left to the scheduler, the two sometimes share a
 * core and the rate of the same server varies twofold between runs.
 */
const PIN_SERVER = ['taskset', '-c', '0'];
const PIN_CLIENT = ['taskset', '-c', '1'];

function macOf(i: number): string {
  return `52:54:00:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
}

function ipOf(i: number): string {
  return `10.213.${41 + Math.floor(i / 200)}.${10 + (i % 200)}`;
}

const ip = (...args: string[]): void => {
  execFileSync('ip', args);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function perfdhcp(ns: string): { rate?: number; detail: string } {
  const result = spawnSync(
    'ip',
    [
      'netns',
      'exec',
      ns,
      ...PIN_CLIENT,
      'perfdhcp',
      '-4',
      '-l',
      RELAY,
      '-r',
      String(TARGET_RATE),
      '-R',
      String(HOSTS),
      '-b',
      'mac=52:54:00:00:00:00',
      '-p',
      String(SECONDS),
      SERVER,
    ],
    { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 },
  );
  const output = `${result.stdout}${result.stderr}`;
  const rate = /Rate: ([\d.]+) 4-way exchanges\/second/.exec(output)?.[1];
  const drops = [...output.matchAll(/drops: (\d+)/g)].map((m) => m[1]).join('/');
  return rate
    ? { rate: Number(rate), detail: drops }
    : { detail: `perfdhcp failed: ${output.slice(-300).replace(/\n/g, ' ')}` };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), sleep(3000)]);
  child.kill('SIGKILL');
}

export async function measureDoraRates(projectRoot: string, rounds = 3): Promise<DoraFigure[]> {
  const work = mkdtempSync(path.join(tmpdir(), 'dora-bench-'));
  const prefix = `m3d${process.pid % 100000}`;
  const srv = `${prefix}-srv`;
  const cli = `${prefix}-cli`;
  const figures: DoraFigure[] = [];
  const indices = Array.from({ length: HOSTS }, (_, i) => i);
  try {
    ip('netns', 'add', srv);
    ip('netns', 'add', cli);
    ip('link', 'add', `${prefix}a`, 'type', 'veth', 'peer', 'name', `${prefix}b`);
    ip('link', 'set', `${prefix}a`, 'netns', srv, 'name', 's0');
    ip('link', 'set', `${prefix}b`, 'netns', cli, 'name', 'c0');
    ip('-n', srv, 'addr', 'add', `${SERVER}/16`, 'dev', 's0');
    ip('-n', cli, 'addr', 'add', `${RELAY}/16`, 'dev', 'c0');
    for (const ns of [srv, cli])
      for (const dev of ['lo', ns === srv ? 's0' : 'c0']) ip('-n', ns, 'link', 'set', dev, 'up');

    writeFileSync(
      path.join(work, 'hosts.yaml'),
      indices
        .map((i) =>
          JSON.stringify({
            apiVersion: 'metal3.io/v1alpha1',
            kind: 'BareMetalHost',
            metadata: {
              name: `server-${i}`,
              namespace: 'bench',
              annotations: { 'metal3.vcluster.com/ip-address': `${ipOf(i)}/16`, 'metal3.vcluster.com/gateway': SERVER },
            },
            spec: { bootMACAddress: macOf(i), online: false },
          }),
        )
        .join('\n---\n'),
    );
    writeFileSync(path.join(work, 'dnsmasq-hosts'), indices.map((i) => `${macOf(i)},${ipOf(i)}`).join('\n'));
    writeFileSync(
      path.join(work, 'kea.json'),
      JSON.stringify({
        Dhcp4: {
          'interfaces-config': { interfaces: ['s0'], 'dhcp-socket-type': 'udp' },
          'lease-database': { type: 'memfile', persist: false },
          'valid-lifetime': 3600,
          'host-reservation-identifiers': ['hw-address'],
          subnet4: [
            {
              id: 1,
              subnet: '10.213.0.0/16',
              'option-data': [{ name: 'routers', data: SERVER }],
              reservations: indices.map((i) => ({ 'hw-address': macOf(i), 'ip-address': ipOf(i) })),
            },
          ],
          loggers: [{ name: 'kea-dhcp4', severity: 'WARN', output_options: [{ output: path.join(work, 'kea.log') }] }],
        },
      }),
    );

    const servers: { name: string; args: string[]; env?: Record<string, string> }[] = [
      {
        name: 'metal3-provider',
        args: [
          process.execPath,
          '--import',
          'tsx',
          path.join(projectRoot, 'test/e2e/dhcp/runBootServer.ts'),
          'boot-server',
          '--log-level',
          'warn',
          '--set',
          `dhcp.serverIP=${SERVER}`,
          '--set',
          'tftp.listenAddr=',
          '--set',
          `proxy.ironicHttpUrl=http://${SERVER}:6180`,
          '--boot-files-dir',
          work,
          '--hosts-file',
          path.join(work, 'hosts.yaml'),
        ],
      },
      {
        name: 'dnsmasq',
        args: [
          'dnsmasq',
          '--no-daemon',
          '--port=0',
          '--interface=s0',
          '--bind-interfaces',
          '--dhcp-range=10.213.0.0,static,255.255.0.0',
          `--dhcp-hostsfile=${path.join(work, 'dnsmasq-hosts')}`,
          '--dhcp-lease-max=10000',
          '--no-ping',
          '--quiet-dhcp',
          '--no-resolv',
          '--no-hosts',
          `--dhcp-leasefile=${path.join(work, 'dnsmasq.leases')}`,
          '--pid-file=',
          '--user=root',
        ],
      },
      {
        name: 'Kea',
        args: ['kea-dhcp4', '-c', path.join(work, 'kea.json')],
        env: { KEA_LOCKFILE_DIR: 'none', KEA_PIDFILE_DIR: work },
      },
    ];
    for (const server of servers) figures.push({ server: server.name, rates: [], drops: [], failures: [] });
    // Rounds interleave the servers, so a busy spell on a shared machine hits all of them alike.
    for (let round = 0; round < rounds; round++) {
      for (const [i, server] of servers.entries()) {
        const figure = figures[i];
        if (!figure) continue;
        const child = spawn('ip', ['netns', 'exec', srv, ...PIN_SERVER, ...server.args], {
          stdio: 'ignore',
          cwd: projectRoot,
          env: { ...process.env, ...server.env },
        });
        await sleep(server.name === 'metal3-provider' ? 8000 : 2000);
        const result = perfdhcp(cli);
        if (result.rate === undefined) figure.failures.push(result.detail);
        else {
          figure.rates.push(result.rate);
          figure.drops.push(result.detail);
        }
        await stop(child);
      }
    }
  } finally {
    for (const ns of [srv, cli]) spawnSync('ip', ['netns', 'del', ns]);
    rmSync(work, { recursive: true, force: true });
  }
  return figures;
}
