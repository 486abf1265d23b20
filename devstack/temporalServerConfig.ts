import { stringify } from 'yaml';

/** Where the server finds PostgreSQL: the devstack's private cluster on loopback, trust auth. */
export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
}

/** Loopback ports of one all-in-one server process: gRPC and membership per service, HTTP on the frontend. */
export interface TemporalServerPorts {
  frontendGrpc: number;
  frontendMembership: number;
  frontendHttp: number;
  historyGrpc: number;
  historyMembership: number;
  matchingGrpc: number;
  matchingMembership: number;
  workerGrpc: number;
  workerMembership: number;
  metrics: number;
}

export const TEMPORAL_DATABASE = 'temporal';
export const VISIBILITY_DATABASE = 'temporal_visibility';

/** The server's embedded schema directories for each database (the sql tool's `--schema-name`). */
export const EMBEDDED_SCHEMAS: Record<string, string> = {
  [TEMPORAL_DATABASE]: 'postgresql/v12/temporal',
  [VISIBILITY_DATABASE]: 'postgresql/v12/visibility',
};

const CLUSTER_NAME = 'active';
const LOOPBACK = '127.0.0.1';

/**
 * Dynamic config of the devstack's server. The feature flags our workflows rely on (updates, the
 * update-with-start multi-operation, schedules) default to on in this server version; they are
 * spelled out so a version bump that flips a default does not silently break the Machine workflow.
 * The rest mirrors what the dev server sets, so both modes behave alike in tests and benchmarks.
 */
export function temporalDynamicConfig(ports: Pick<TemporalServerPorts, 'frontendHttp'>): Record<string, unknown> {
  const value = (v: unknown): { value: unknown; constraints: Record<string, never> }[] => [
    { value: v, constraints: {} },
  ];
  return {
    'frontend.enableUpdateWorkflowExecution': value(true),
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted': value(true),
    'frontend.enableExecuteMultiOperation': value(true),
    'frontend.enableSchedules': value(true),
    'worker.enableScheduler': value(true),
    // Search attributes registered at start-up are usable at once, as on the dev server.
    'system.forceSearchAttributesCacheRefreshOnRead': value(true),
    'frontend.persistenceMaxQPS': value(10_000),
    'history.persistenceMaxQPS': value(45_000),
    'frontend.namespaceRPS.visibility': value(100),
    'history.hostLevelCacheMaxSize': value(8192),
    'limit.maxIDLength': value(255),
    'component.nexusoperations.callback.endpoint.template': value(
      `http://${LOOPBACK}:${ports.frontendHttp}/namespaces/{{.NamespaceName}}/nexus/callback`,
    ),
    'component.callbacks.allowedAddresses': value([
      { Pattern: `${LOOPBACK}:${ports.frontendHttp}`, AllowInsecure: true },
    ]),
  };
}

/**
 * The static config of an all-in-one server (frontend, history, matching, worker in one process)
 * on PostgreSQL for both persistence and visibility. Pure: the caller writes it and the files.
 */
export function temporalServerConfig(options: {
  ports: TemporalServerPorts;
  postgres: PostgresEndpoint;
  dynamicConfigFile: string;
  numHistoryShards: number;
}): Record<string, unknown> {
  const { ports, postgres } = options;
  const datastore = (databaseName: string, maxConns: number): Record<string, unknown> => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${postgres.host}:${postgres.port}`,
      connectProtocol: 'tcp',
      user: postgres.user,
      password: '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, httpPort?: number): Record<string, unknown> => ({
    rpc: { grpcPort, membershipPort, bindOnIP: LOOPBACK, ...(httpPort !== undefined && { httpPort }) },
  });
  const frontend = `${LOOPBACK}:${ports.frontendGrpc}`;
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: options.numHistoryShards,
      datastores: {
        'postgres-default': datastore(TEMPORAL_DATABASE, 20),
        'postgres-visibility': datastore(VISIBILITY_DATABASE, 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: LOOPBACK },
      metrics: {
        prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `${LOOPBACK}:${ports.metrics}` },
      },
    },
    services: {
      frontend: service(ports.frontendGrpc, ports.frontendMembership, ports.frontendHttp),
      history: service(ports.historyGrpc, ports.historyMembership),
      matching: service(ports.matchingGrpc, ports.matchingMembership),
      worker: service(ports.workerGrpc, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: CLUSTER_NAME,
      currentClusterName: CLUSTER_NAME,
      clusterInformation: {
        [CLUSTER_NAME]: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcAddress: frontend,
          httpAddress: `${LOOPBACK}:${ports.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    publicClient: { hostPort: frontend },
    dynamicConfigClient: { filepath: options.dynamicConfigFile, pollInterval: '10s' },
  };
}

export function toYaml(document: Record<string, unknown>): string {
  return stringify(document);
}
