import { Connection, Client } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';

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

export async function connectWorker(): Promise<{ connection: NativeConnection; namespace: string }> {
  const { connectionOptions, namespace } = temporalSettings();
  return { connection: await NativeConnection.connect(connectionOptions), namespace };
}

export async function connectClient(): Promise<Client> {
  const { connectionOptions, namespace } = temporalSettings();
  const connection = await Connection.connect(connectionOptions);
  return new Client({ connection, namespace });
}
