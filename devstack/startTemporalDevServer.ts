import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { customSearchAttributes } from '../contracts/searchAttributes.js';
import { freePort } from './freePort.js';
import { ManagedProcess } from './managedProcess.js';

export interface RunningTemporal {
  /** The server process, and everything it needs started before it (its database), in start order. */
  processes: ManagedProcess[];
  address: string;
  /** Empty when this server has no Web UI. */
  uiUrl: string;
  namespace: string;
}

const SEARCH_ATTRIBUTE_TYPE_NAMES: Record<string, string> = {
  KEYWORD: 'Keyword',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/**
 * Starts Temporal's dev server (SQLite file in WAL mode, Web UI on) with our search attributes
 * registered, on loopback ports. `uiCodecEndpoint` lets the UI decode encrypted payloads.
 */
export async function startTemporalDevServer(
  binary: string,
  dir: string,
  options: { uiCodecEndpoint?: string } = {},
): Promise<RunningTemporal> {
  const [port, uiPort, httpPort, metricsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const address = `127.0.0.1:${port}`;
  const searchAttributes = customSearchAttributes.flatMap((key) => [
    '--search-attribute',
    `${key.name}=${SEARCH_ATTRIBUTE_TYPE_NAMES[key.type] ?? 'Keyword'}`,
  ]);
  const process = ManagedProcess.start(
    'temporal',
    binary,
    [
      'server',
      'start-dev',
      '--ip=127.0.0.1',
      `--port=${port}`,
      `--ui-port=${uiPort}`,
      `--http-port=${httpPort}`,
      `--metrics-port=${metricsPort}`,
      `--db-filename=${join(dir, 'temporal.sqlite')}`,
      '--sqlite-pragma=journal_mode=WAL',
      '--log-level=warn',
      ...searchAttributes,
      ...(options.uiCodecEndpoint ? [`--ui-codec-endpoint=${options.uiCodecEndpoint}`] : []),
    ],
    join(dir, 'temporal.log'),
  );
  await process.waitUntilReady(async () => {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  }, 60_000);
  return { processes: [process], address, uiUrl: `http://127.0.0.1:${uiPort}`, namespace: 'default' };
}
