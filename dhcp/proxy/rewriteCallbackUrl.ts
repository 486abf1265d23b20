import { Address4 } from 'ip-address';
import type { BootHost } from '../hosts/bootHost.js';
import type { LeaseAddressLookup } from '../hosts/hostLookup.js';

/** The port the Ironic agent listens on (IPA's `advertise_port`). */
export const DEFAULT_AGENT_PORT = 9999;

export interface CallbackContext {
  /** The address the heartbeat came from. */
  clientAddress: string;
  hosts: LeaseAddressLookup;
  agentPort: number;
  /** `proxy.callbackAdvertiseUrl`, without a trailing slash. */
  advertiseUrl: string;
  /** `proxy.ironicApiUrl`. */
  ironicApiUrl: string;
}

export interface AgentAddress {
  scheme: 'http' | 'https';
  address: string;
}

export type RewriteResult =
  | {
      ok: true;
      /** The heartbeat body to send to Ironic. */
      body: Record<string, unknown>;
      agent: AgentAddress;
      host: BootHost;
      /** The agent's self-signed certificate (`agent_verify_ca`), to verify it when calling back. */
      agentCa: string | undefined;
    }
  | { ok: false; code: string; message: string };

/** The path under the callback proxy that stands for one agent: `/agent/<scheme>/<address>`. */
export function agentPath(agent: AgentAddress): string {
  return `/agent/${agent.scheme}/${agent.address}`;
}

function isIpv4Literal(value: string): boolean {
  return Address4.isValid(value) && !value.includes('/') && new Address4(value).correctForm() === value;
}

/**
 * Rewrites a heartbeat so that Ironic calls the agent back through the proxy: the agent's
 * `callback_url` (`https://<lease address>:9999`) becomes `<advertise URL>/agent/https/<address>`.
 * Only a callback to the heartbeat's own sender, at its lease address and the agent port, is
 * accepted. `agent_verify_ca` is taken out: Ironic now talks to the proxy, which verifies the agent.
 */
export function rewriteHeartbeat(body: unknown, context: CallbackContext): RewriteResult {
  const refuse = (code: string, message: string): RewriteResult => ({ ok: false, code, message });
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return refuse('bad-heartbeat', 'heartbeat body is not a JSON object');
  const fields = body as Record<string, unknown>;
  const raw = fields.callback_url;
  if (typeof raw !== 'string') return refuse('bad-callback-url', 'heartbeat has no callback_url string');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('bad-callback-url', `callback_url "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return refuse('bad-callback-url', `callback_url scheme ${url.protocol} is not http or https`);
  if (url.username !== '' || url.password !== '')
    return refuse('bad-callback-url', 'callback_url carries user information');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '')
    return refuse('bad-callback-url', 'callback_url has a path, query or fragment; an agent URL has none');
  const address = url.hostname;
  if (!isIpv4Literal(address))
    return refuse('bad-callback-url', `callback_url host "${address}" is not an IPv4 address`);
  const ironicHost = new URL(context.ironicApiUrl).hostname;
  if (address === ironicHost) return refuse('callback-to-ironic', 'callback_url points at Ironic itself');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (port !== context.agentPort)
    return refuse('callback-port', `callback_url port ${port} is not the agent port ${context.agentPort}`);
  if (address !== context.clientAddress) {
    return refuse(
      'callback-not-sender',
      `callback_url address ${address} is not the heartbeat's sender ${context.clientAddress}`,
    );
  }
  const host = context.hosts.byAddress(address);
  if (!host) return refuse('callback-not-leased', `callback_url address ${address} is no known host's lease`);

  const agent: AgentAddress = { scheme: url.protocol === 'https:' ? 'https' : 'http', address };
  const { agent_verify_ca: agentCa, ...rest } = fields;
  return {
    ok: true,
    body: { ...rest, callback_url: `${context.advertiseUrl}${agentPath(agent)}` },
    agent,
    host,
    agentCa: typeof agentCa === 'string' ? agentCa : undefined,
  };
}
