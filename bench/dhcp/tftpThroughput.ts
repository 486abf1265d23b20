import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { TftpServer } from '../../dhcp/tftpServer.js';

export interface TftpFigure {
  server: string;
  options: string;
  seconds?: number;
  note?: string;
}

const HOST = '127.0.0.1';
const FILE = 'big.bin';
/** atftpd conflicts with tftpd-hpa as a Debian package; the benchmark uses an unpacked copy. */
const ATFTPD = process.env.ATFTPD ?? '/usr/sbin/atftpd';
const IN_TFTPD = '/usr/sbin/in.tftpd';

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

async function external(command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: 'ignore' });
  await sleep(500);
  return child;
}

const RUNS: { options: string[]; label: string; windowed: boolean }[] = [
  { options: ['blksize 1428'], label: 'blksize 1428', windowed: false },
  { options: ['blksize 1428', 'windowsize 16'], label: 'blksize 1428, windowsize 16', windowed: true },
];

/** Our TFTP server, tftpd-hpa and atftpd serving the same 64 MiB file on loopback, one after another. */
export async function measureTftpThroughput(): Promise<TftpFigure[]> {
  const root = await mkdtemp(path.join(tmpdir(), 'tftp-bench-'));
  await chmod(root, 0o755);
  await writeFile(path.join(root, FILE), randomBytes(64 * 2 ** 20), { mode: 0o644 });
  const figures: TftpFigure[] = [];
  try {
    const ours = new TftpServer({ listenHost: HOST, port: 0, root, logger: pino({ level: 'silent' }) });
    await ours.start();
    for (const run of RUNS)
      figures.push({
        server: 'metal3-provider',
        options: run.label,
        seconds: await fetchSeconds(ours.port, run.options),
      });
    await ours.close();

    if (existsSync(IN_TFTPD)) {
      const port = 16970;
      const child = await external(IN_TFTPD, ['--foreground', '--address', `${HOST}:${port}`, '--secure', root]);
      figures.push({
        server: 'tftpd-hpa',
        options: RUNS[0]?.label ?? '',
        seconds: await fetchSeconds(port, RUNS[0]?.options ?? []),
      });
      figures.push({ server: 'tftpd-hpa', options: RUNS[1]?.label ?? '', note: 'no windowsize support' });
      child.kill();
    } else {
      figures.push({ server: 'tftpd-hpa', options: '', note: `not installed (${IN_TFTPD})` });
    }

    if (existsSync(ATFTPD)) {
      const port = 16971;
      const child = await external(ATFTPD, [
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
      ]);
      for (const run of RUNS)
        figures.push({ server: 'atftpd', options: run.label, seconds: await fetchSeconds(port, run.options) });
      child.kill();
    } else {
      figures.push({ server: 'atftpd', options: '', note: `not found (${ATFTPD}; set ATFTPD)` });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return figures;
}
