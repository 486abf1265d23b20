import { access, chmod, chown, mkdir, readdir } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { freePort } from './freePort.js';
import { ManagedProcess } from './managedProcess.js';
import { runCommand } from './runCommand.js';
import type { PostgresEndpoint } from './temporalServerConfig.js';

/** PostgreSQL is missing or could not be started; says what failed and how to provide it. */
export class PostgresUnavailableError extends Error {
  constructor(step: string, detail: string) {
    super(
      `PostgreSQL: ${step} failed: ${detail}\n` +
        '  Install PostgreSQL (Debian: apt-get install postgresql) or set POSTGRES_BIN_DIR to the folder holding initdb and postgres.',
    );
    this.name = 'PostgresUnavailableError';
  }
}

export interface RunningPostgres extends PostgresEndpoint {
  process: ManagedProcess;
}

const SUPERUSER = 'temporal';
/** PostgreSQL refuses to run as root; as root the cluster runs as this system user instead. */
const SYSTEM_USER = 'postgres';

/**
 * Starts a private PostgreSQL cluster under `dir`: initdb with trust auth for its one superuser,
 * listening on a free loopback port, its unix socket inside `dir`, nothing shared with any
 * system cluster. Stopping the process (SIGTERM: smart shutdown) and removing `dir` leaves nothing.
 */
export async function startPostgres(dir: string): Promise<RunningPostgres> {
  const bin = await postgresBinDir();
  const home = join(dir, 'postgres');
  const data = join(home, 'data');
  await mkdir(home, { recursive: true });
  const command = await commandAsNonRoot(dir, home);

  const initdb = await runCommand(
    ...command(join(bin, 'initdb'), [
      `--pgdata=${data}`,
      `--username=${SUPERUSER}`,
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      // A throwaway cluster: skip the fsyncs that make initdb slow; the server itself keeps its defaults.
      '--no-sync',
    ]),
    { cwd: home },
  );
  if (initdb.code !== 0) throw new PostgresUnavailableError('initdb', lastLines(initdb.stderr || initdb.stdout));

  const port = await freePort();
  const serverArgs = [
    `-D${data}`,
    '-h127.0.0.1',
    `-p${port}`,
    `-k${home}`,
    // Four Temporal services with their connection pools, plus the schema tool and clients.
    '-cmax_connections=200',
  ];
  const process = ManagedProcess.start(
    'postgres',
    ...command(join(bin, 'postgres'), serverArgs),
    join(dir, 'postgres.log'),
  );
  await process.waitUntilReady(async () => {
    const ready = await runCommand(join(bin, 'pg_isready'), [
      '-h127.0.0.1',
      `-p${port}`,
      `-U${SUPERUSER}`,
      '-dpostgres',
    ]);
    return ready.code === 0;
  }, 60_000);
  return { process, host: '127.0.0.1', port, user: SUPERUSER };
}

/**
 * How to run a PostgreSQL binary. As root: hands `home` to the `postgres` system user, lets it
 * traverse `dir` (0711: no listing; the devstack's secrets are 0600 anyway), and runs binaries
 * through `setpriv`, which execs rather than forks, so the PID we stop is postgres itself.
 */
async function commandAsNonRoot(
  dir: string,
  home: string,
): Promise<(binary: string, args: string[]) => [string, string[]]> {
  if (process.getuid?.() !== 0) return (binary, args) => [binary, args];
  const [uid, gid] = [await idOf('-u'), await idOf('-g')];
  await chmod(dir, 0o711);
  await chown(home, uid, gid);
  await chmod(home, 0o700);
  return (binary, args) => ['setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--', binary, ...args]];
}

async function idOf(flag: '-u' | '-g'): Promise<number> {
  const result = await runCommand('id', [flag, SYSTEM_USER]);
  const id = Number(result.stdout.trim());
  if (result.code !== 0 || !Number.isInteger(id)) {
    throw new PostgresUnavailableError(
      `looking up the '${SYSTEM_USER}' user`,
      `PostgreSQL refuses to run as root, and there is no '${SYSTEM_USER}' user to run it as; run the devstack as a normal user`,
    );
  }
  return id;
}

/** POSTGRES_BIN_DIR, then initdb on PATH, then the newest Debian/Ubuntu install under /usr/lib/postgresql. */
async function postgresBinDir(): Promise<string> {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv) {
    if (!(await hasServerBinaries(fromEnv))) {
      throw new PostgresUnavailableError('using POSTGRES_BIN_DIR', `${fromEnv} has no executable initdb and postgres`);
    }
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && (await hasServerBinaries(dir))) return dir;
  }
  const versions = await readdir('/usr/lib/postgresql').catch(() => []);
  for (const version of versions.sort((a, b) => Number(b) - Number(a))) {
    const dir = join('/usr/lib/postgresql', version, 'bin');
    if (await hasServerBinaries(dir)) return dir;
  }
  throw new PostgresUnavailableError('finding initdb and postgres', 'not on PATH and not under /usr/lib/postgresql');
}

async function hasServerBinaries(dir: string): Promise<boolean> {
  try {
    for (const binary of ['initdb', 'postgres', 'pg_isready']) await access(join(dir, binary), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-8).join('\n');
}
