import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { TftpServer } from '../../dhcp/tftp/tftpServer.js';
import { median } from '../median.js';

/** One server with one option set over all rounds: wall-clock seconds and server CPU per transfer. */
export interface TftpFigure {
  server: string;
  options: string;
  seconds: number[];
  cpuSeconds: number[];
  failures: number;
  note?: string;
}

const HOST = '127.0.0.1';
const FILE = 'big.bin';
const FILE_MIB = 64;
/** atftpd conflicts with tftpd-hpa as a Debian package: install-peers.sh unpacks it into the cache. */
const ATFTPD =
  process.env.ATFTPD ??
  [
    '/usr/sbin/atftpd',
    path.join(
      process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'),
      'metal3-provider/bench/atftpd/usr/sbin/atftpd',
    ),
  ].find((candidate) => existsSync(candidate)) ??
  '/usr/sbin/atftpd';
const IN_TFTPD = '/usr/sbin/in.tftpd';
const PERF = '/usr/bin/perf';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds atftp needs to fetch the file, or undefined when the transfer failed. */
async function fetchSeconds(port: number, options: string[]): Promise<number | undefined> {
  const args = options.flatMap((option) => ['--option', option]);
  const started = process.hrtime.bigint();
  // Asynchronous: our server runs in this process and must keep serving meanwhile.
  const child = spawn('atftp', [...args, '-g', '-r', FILE, '-l', '/dev/null', HOST, String(port)], {
    stdio: 'ignore',
    timeout: 300_000,
  });
  const [status] = (await once(child, 'exit')) as [number | null];
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return status === 0 ? seconds : undefined;
}

type Transfer = (options: string[]) => Promise<{ seconds?: number; cpuSeconds?: number }>;

/** Our server runs in this process: its CPU time is this process's during the transfer. */
function oursTransfer(port: number): Transfer {
  return async (options) => {
    const before = process.cpuUsage();
    const seconds = await fetchSeconds(port, options);
    const used = process.cpuUsage(before);
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
  };
}

/**
 * A fresh daemon per transfer under `perf stat`, which counts the task clock of the daemon and
 * every process and thread it starts (tftpd-hpa forks per transfer, atftpd uses threads), so the
 * figure is the whole server's CPU time for one transfer plus a start-up of about 2 ms.
 */
function externalTransfer(command: string, args: (port: number) => string[], port: number): Transfer {
  return async (options) => {
    const perfOut = path.join(tmpdir(), `tftp-bench-perf-${process.pid}-${port}.csv`);
    const perf = spawn(PERF, ['stat', '-x,', '-e', 'task-clock', '-o', perfOut, '--', command, ...args(port)], {
      stdio: 'ignore',
    });
    await sleep(400);
    const seconds = await fetchSeconds(port, options);
    // perf waits for the daemon; stop the daemon (perf's only child) and perf writes the count.
    const children = await readFile(`/proc/${perf.pid ?? 0}/task/${perf.pid ?? 0}/children`, 'utf8').catch(() => '');
    for (const pid of children.trim().split(/\s+/).filter(Boolean)) process.kill(Number(pid), 'SIGTERM');
    if (perf.exitCode === null) await once(perf, 'exit');
    const line = (await readFile(perfOut, 'utf8').catch(() => '')).split('\n').find((l) => l.includes('task-clock'));
    await rm(perfOut, { force: true });
    const msec = Number(line?.split(',')[0]);
    return { seconds, cpuSeconds: Number.isFinite(msec) ? msec / 1000 : undefined };
  };
}

const OPTION_SETS: { options: string[]; label: string; windowed: boolean }[] = [
  { options: ['blksize 1428'], label: 'blksize 1428', windowed: false },
  { options: ['blksize 1428', 'windowsize 16'], label: 'blksize 1428, windowsize 16', windowed: true },
];

/**
 * Our TFTP server, tftpd-hpa and atftpd serving the same 64 MiB file on loopback. Each round runs
 * every server with every option set once, interleaved, so a busy spell on a shared machine hits
 * all servers alike rather than one of them.
 */
export async function measureTftpThroughput(rounds = 5): Promise<TftpFigure[]> {
  const root = await mkdtemp(path.join(tmpdir(), 'tftp-bench-'));
  await chmod(root, 0o755);
  await writeFile(path.join(root, FILE), randomBytes(FILE_MIB * 2 ** 20), { mode: 0o644 });
  // As configured by default, and with the busy poll off (`--tftp-busy-poll 0`) to show what it buys.
  const ours = new TftpServer({ listenHost: HOST, port: 0, root, logger: pino({ level: 'silent' }) });
  const oursAsleep = new TftpServer({
    listenHost: HOST,
    port: 0,
    root,
    logger: pino({ level: 'silent' }),
    busyPollMicros: 0,
  });
  const figures: TftpFigure[] = [];
  const servers: { name: string; transfer?: Transfer; windowed: boolean; note?: string }[] = [];
  try {
    await ours.start();
    await oursAsleep.start();
    servers.push({ name: 'metal3-provider', transfer: oursTransfer(ours.port), windowed: true });
    servers.push({ name: 'metal3-provider, busy poll off', transfer: oursTransfer(oursAsleep.port), windowed: true });
    servers.push(
      existsSync(IN_TFTPD)
        ? {
            name: 'tftpd-hpa',
            transfer: externalTransfer(
              IN_TFTPD,
              (port) => ['--foreground', '--address', `${HOST}:${port}`, '--secure', root],
              16970,
            ),
            windowed: false,
            note: 'no windowsize support',
          }
        : { name: 'tftpd-hpa', windowed: false, note: `not installed (${IN_TFTPD})` },
    );
    servers.push(
      existsSync(ATFTPD)
        ? {
            name: 'atftpd',
            transfer: externalTransfer(
              ATFTPD,
              (port) => [
                '--daemon',
                '--no-fork',
                '--bind-address',
                HOST,
                '--port',
                String(port),
                '--user',
                'root.root',
                '--logfile',
                '/dev/null',
                root,
              ],
              16971,
            ),
            windowed: true,
          }
        : { name: 'atftpd', windowed: true, note: `not found (${ATFTPD}; set ATFTPD)` },
    );
    for (const server of servers)
      for (const set of OPTION_SETS)
        figures.push({
          server: server.name,
          options: set.label,
          seconds: [],
          cpuSeconds: [],
          failures: 0,
          note: server.transfer && (server.windowed || !set.windowed) ? undefined : server.note,
        });
    for (let round = 0; round < rounds; round++) {
      for (const set of OPTION_SETS) {
        for (const server of servers) {
          if (!server.transfer || (set.windowed && !server.windowed)) continue;
          const figure = figures.find((f) => f.server === server.name && f.options === set.label);
          if (!figure) continue;
          const { seconds, cpuSeconds } = await server.transfer(set.options);
          if (seconds === undefined) figure.failures++;
          else figure.seconds.push(seconds);
          if (seconds !== undefined && cpuSeconds !== undefined) figure.cpuSeconds.push(cpuSeconds);
        }
      }
    }
  } finally {
    await Promise.all([ours.close(), oursAsleep.close()]);
    await rm(root, { recursive: true, force: true });
  }
  return figures;
}

const mibs = (seconds: number | undefined) => (seconds === undefined ? 'n/a' : (FILE_MIB / seconds).toFixed(1));
const ms = (seconds: number | undefined) => (seconds === undefined ? 'n/a' : (seconds * 1000).toFixed(0));

export function tftpTable(figures: TftpFigure[]): string {
  return [
    '| server | options | runs | best MiB/s | median MiB/s | server CPU per transfer, median (best) ms |',
    '|---|---|---|---|---|---|',
    ...figures.map((f) =>
      f.note !== undefined
        ? `| ${f.server} | ${f.options} | ${f.note} | | | |`
        : `| ${f.server} | ${f.options} | ${f.seconds.length}${f.failures > 0 ? ` (${f.failures} failed)` : ''} | ${mibs(Math.min(...f.seconds))} | ${mibs(median(f.seconds))} | ${ms(median(f.cpuSeconds))} (${ms(f.cpuSeconds.length ? Math.min(...f.cpuSeconds) : undefined)}) |`,
    ),
  ].join('\n');
}
