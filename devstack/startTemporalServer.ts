import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { registerSearchAttributes } from '../client/registerSearchAttributes.js';
import { freeLowPort } from './freePort.js';
import { ManagedProcess } from './managedProcess.js';
import { runCommand } from './runCommand.js';
import { startPostgres } from './startPostgres.js';
import {
  EMBEDDED_SCHEMAS,
  temporalDynamicConfig,
  temporalServerConfig,
  toYaml,
  type PostgresEndpoint,
  type TemporalServerPorts,
} from './temporalServerConfig.js';
import type { RunningTemporal } from './startTemporalDevServer.js';

const NAMESPACE = 'default';
/** Enough shards for a 2-core machine to run history in parallel; fixed once the schema is set up. */
const HISTORY_SHARDS = 8;

/**
 * A real Temporal cluster of one all-in-one process on a private PostgreSQL (persistence and
 * visibility): databases created and migrated with the server's own schema tool, the `default`
 * namespace registered with our search attributes. No Web UI: the UI ships with the dev server.
 */
export async function startTemporalServer(
  binaries: { server: string; sqlTool: string },
  dir: string,
): Promise<RunningTemporal> {
  const postgres = await startPostgres(dir);
  try {
    await setUpDatabases(binaries.sqlTool, postgres);
    const ports = await freePorts();
    const root = join(dir, 'temporal-server');
    await mkdir(join(root, 'config'), { recursive: true });
    const dynamicConfigFile = join(root, 'dynamicconfig.yaml');
    await writeFile(dynamicConfigFile, toYaml(temporalDynamicConfig(ports)));
    await writeFile(
      join(root, 'config', 'development.yaml'),
      toYaml(temporalServerConfig({ ports, postgres, dynamicConfigFile, numHistoryShards: HISTORY_SHARDS })),
    );
    const server = ManagedProcess.start(
      'temporal-server',
      binaries.server,
      ['--root', root, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'],
      join(dir, 'temporal-server.log'),
    );
    const address = `127.0.0.1:${ports.frontendGrpc}`;
    await server.waitUntilReady(() => registerNamespace(address), 120_000);
    return { processes: [postgres.process, server], address, uiUrl: '', namespace: NAMESPACE };
  } catch (err) {
    await postgres.process.stop();
    throw err;
  }
}

async function setUpDatabases(sqlTool: string, postgres: PostgresEndpoint): Promise<void> {
  const base = ['--plugin', 'postgres12', '--ep', postgres.host, '-p', String(postgres.port), '-u', postgres.user];
  for (const [database, schema] of Object.entries(EMBEDDED_SCHEMAS)) {
    for (const step of [
      ['create-database'],
      ['setup-schema', '-v', '0.0'],
      ['update-schema', '--schema-name', schema],
    ]) {
      const result = await runCommand(sqlTool, [...base, '--db', database, ...step]);
      if (result.code !== 0) {
        throw new Error(
          `temporal-sql-tool ${step[0] ?? ''} of ${database} failed:\n${(result.stderr || result.stdout).trim()}`,
        );
      }
    }
  }
}

async function freePorts(): Promise<TemporalServerPorts> {
  const names = [
    'frontendGrpc',
    'frontendMembership',
    'frontendHttp',
    'historyGrpc',
    'historyMembership',
    'matchingGrpc',
    'matchingMembership',
    'workerGrpc',
    'workerMembership',
    'metrics',
  ] as const;
  const ports: Partial<TemporalServerPorts> = {};
  // Membership ports are stored as smallint: all of them stay below 32768.
  for (const name of names) ports[name] = await freeLowPort();
  return ports as TemporalServerPorts;
}

/**
 * Registers the namespace and our search attributes once the frontend answers; true when both
 * are in place. Called until it succeeds, so every step tolerates having been done before.
 */
async function registerNamespace(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService
      .registerNamespace({ namespace: NAMESPACE, workflowExecutionRetentionPeriod: msToTs('1 day') })
      .catch((err: unknown) => {
        if (!isAlreadyExists(err)) throw err;
      });
    // Newly added attributes become usable a moment later; the next probe confirms them.
    return (await registerSearchAttributes(connection, NAMESPACE)).length === 0;
  } finally {
    await connection.close();
  }
}

function isAlreadyExists(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 6;
}
