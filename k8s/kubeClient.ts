import http from 'node:http';
import https from 'node:https';
import {
  KubeConfig,
  ServerConfiguration,
  createConfiguration,
  type ApiConstructor,
  type ApiType,
} from './kubernetesClient.js';
import { nodeHttpLibrary } from './nodeHttpLibrary.js';

/** Requests in flight to the kube-apiserver at once; more wait for a connection, as Go's client queues on its pool. */
const MAX_CONNECTIONS = 64;
/**
 * An idle connection is closed by us before any server would close it (Node's servers after 5 s), so a
 * call is never sent on a connection the server is closing at that moment and answered with a reset.
 */
const IDLE_CONNECTION_MS = 4_000;

type RequestContext = Parameters<KubeConfig['applySecurityAuthentication']>[0];

/**
 * A KubeConfig whose API clients share keep-alive connections.
 *
 * client-node gives every request an agent of its own, so every call opened a new TLS connection:
 * about 4 ms of the caller's CPU per call against 1 ms on a kept connection, and a handshake for
 * the kube-apiserver each time. The credentials are still applied per request (tokens refresh); a
 * change of certificates or CA starts a new pool. Clusters reached through a proxy keep client-node's
 * own agents. Watches keep theirs too: each holds its connection for as long as it runs.
 */
export class PooledKubeConfig extends KubeConfig {
  private pool: { key: string; agent: http.Agent } | undefined;

  /** As client-node's, but sending with node:https (see nodeHttpLibrary.ts) instead of node-fetch. */
  override makeApiClient<T extends ApiType>(apiClientType: ApiConstructor<T>): T {
    const cluster = this.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig names no current cluster');
    return new apiClientType(
      createConfiguration({
        baseServer: new ServerConfiguration(cluster.server, {}),
        authMethods: { default: this },
        httpApi: nodeHttpLibrary,
      }),
    );
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    if (this.getCurrentCluster()?.proxyUrl) return;
    const agent = context.getAgent();
    if (agent) context.setAgent(this.pooled(agent));
  }

  /** The pool's agent for the TLS options client-node just chose, made anew when they changed. */
  private pooled(fresh: http.Agent): http.Agent {
    const options = fresh instanceof https.Agent ? fresh.options : {};
    const key = JSON.stringify([
      fresh instanceof https.Agent,
      ...[options.ca, options.cert, options.key, options.pfx].map(credentialText),
      options.passphrase,
      options.rejectUnauthorized,
      options.servername,
    ]);
    if (this.pool?.key !== key) {
      this.pool?.agent.destroy();
      const pooling = {
        keepAlive: true,
        maxSockets: MAX_CONNECTIONS,
        scheduling: 'lifo' as const,
        // On an idle connection only; a slow call in flight is not cut.
        timeout: IDLE_CONNECTION_MS,
      };
      const agent =
        fresh instanceof https.Agent ? new https.Agent({ ...options, ...pooling }) : new http.Agent(pooling);
      this.pool = { key, agent };
    }
    return this.pool.agent;
  }
}

/** A CA, certificate or key as text to compare by: client-node reads them anew for every request. */
function credentialText(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (Array.isArray(value)) return value.map(credentialText).join('\n');
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Loads a kubeconfig from the standard places, in the order kubectl uses:
 * an explicit file, `KUBECONFIG`, `~/.kube/config`, then the in-cluster service account.
 */
export function loadKubeConfig(file?: string): KubeConfig {
  const kc = new PooledKubeConfig();
  if (file) {
    kc.loadFromFile(file);
  } else {
    kc.loadFromDefault();
  }
  return kc;
}
