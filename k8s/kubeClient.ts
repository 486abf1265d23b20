import http from 'node:http';
import https from 'node:https';
import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

type RequestOptions = Parameters<KubeConfig['applyToFetchOptions']>[0];
type FetchOptions = Awaited<ReturnType<KubeConfig['applyToFetchOptions']>>;

/** TLS settings of an agent that decide whether two requests may share its connections. */
const AGENT_IDENTITY = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/**
 * A KubeConfig whose requests share keep-alive connections. The client library builds a fresh agent
 * for every request, so every API call opened a connection of its own and, over HTTPS, paid a TLS
 * handshake with the client certificate on both ends. Requests with the same TLS settings (same
 * server, CA and client credentials; token auth is per request, in headers) now share one agent.
 * Agents of a proxy (socks, http(s) proxy) are left as built.
 */
class PooledKubeConfig extends KubeConfig {
  private readonly agents = new Map<string, http.Agent>();

  private pooled(agent: http.Agent | https.Agent | undefined): http.Agent | https.Agent | undefined {
    if (agent === undefined) return agent;
    const secure = agent.constructor === https.Agent;
    if (!secure && agent.constructor !== http.Agent) return agent;
    const options = (agent as http.Agent & { options: Record<string, unknown> }).options;
    const server = this.getCurrentCluster()?.server ?? '';
    const key = [server, secure, ...AGENT_IDENTITY.map((field) => identityOf(options[field]))].join('\0');
    let shared = this.agents.get(key);
    if (!shared) {
      shared = secure
        ? new https.Agent({ ...options, keepAlive: true })
        : new http.Agent({ ...options, keepAlive: true });
      this.agents.set(key, shared);
    }
    return shared;
  }

  override async applyToFetchOptions(opts: RequestOptions): Promise<FetchOptions> {
    const options = await super.applyToFetchOptions(opts);
    return { ...options, agent: this.pooled(options.agent as http.Agent | undefined) };
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const agent = this.pooled(context.getAgent());
    if (agent) context.setAgent(agent);
  }
}

/** A TLS setting as text: certificates arrive as fresh Buffers on every request. */
function identityOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (Array.isArray(value)) return value.map(identityOf).join('\u0001');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Loads a kubeconfig from the standard places, in the order kubectl uses:
 * an explicit file, `KUBECONFIG`, `~/.kube/config`, then the in-cluster service account.
 * Its API clients and watches share keep-alive connections.
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
