import { Connection, Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { loadDataConverter } from '../codec/loadDataConverter.js';

/**
 * Temporal connection settings follow Temporal's environment configuration: a profile from the
 * config file (`TEMPORAL_PROFILE`, `TEMPORAL_CONFIG_FILE`) overridden by `TEMPORAL_ADDRESS`,
 * `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY`, TLS variables — the same code on the dev server and a cluster.
 */
export function temporalSettings(): {
  connectionOptions: ReturnType<typeof loadClientConnectConfig>['connectionOptions'];
  namespace: string;
} {
  const config = loadClientConnectConfig();
  return { connectionOptions: config.connectionOptions, namespace: config.namespace ?? 'default' };
}

/**
 * A worker's connection and namespace, and the data converter its Worker must use: payloads are
 * encrypted when a codec key is configured (METAL3_PROVIDER_CODEC_KEYS_FILE or METAL3_PROVIDER_CODEC_KEY).
 */
export async function connectWorker(): Promise<{
  connection: NativeConnection;
  namespace: string;
  dataConverter?: DataConverter;
}> {
  const { connectionOptions, namespace } = temporalSettings();
  // Keys first: bad key material fails before anything connects.
  const dataConverter = await loadDataConverter(namespace);
  const connection = await NativeConnection.connect(connectionOptions);
  return { connection, namespace, ...(dataConverter && { dataConverter }) };
}

/** A client with the same data converter as the workers, so it reads and writes encrypted payloads. */
export async function connectClient(): Promise<Client> {
  const { connectionOptions, namespace } = temporalSettings();
  const dataConverter = await loadDataConverter(namespace);
  const connection = await Connection.connect(connectionOptions);
  return new Client({ connection, namespace, ...(dataConverter && { dataConverter }) });
}
