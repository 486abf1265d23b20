import {
  authorizeAgentCall,
  authorizeHeartbeat,
  authorizeInspection,
  authorizeLookup,
  type Authorized,
  type CallbackRefusal,
} from './authorizeCallback.js';
import type { BootHost } from '../hosts/bootHost.js';
import type { CallbackCaller } from '../hosts/callbackCaller.js';
import type { LeaseAddressLookup } from '../hosts/hostLookup.js';
import { parseRequestTarget } from './requestTarget.js';
import type { AgentAddress } from './rewriteCallbackUrl.js';

/**
 * Decides, without any I/O, what the callback proxy does with one request. It only ever forwards
 * to two kinds of places: the fixed Ironic API origin, for the handful of calls the agent makes,
 * and the agent of a known host, at its lease address and the agent port, for Ironic's commands.
 * Each request is tied to its caller (authorizeCallback.ts). Everything else is refused with a reason.
 */

/** Request body limits: heartbeats are tiny; inspection data carries logs; commands may carry a config drive. */
export const BODY_LIMITS = {
  heartbeat: 64 * 1024,
  continueInspection: 32 * 1024 * 1024,
  agentCommand: 64 * 1024 * 1024,
} as const;

export type IronicRoute = 'versions' | 'lookup' | 'heartbeat' | 'continue-inspection';

export type CallbackRoute =
  | { kind: 'ironic'; route: IronicRoute; url: URL; host: BootHost; maxBodyBytes: number }
  | { kind: 'agent'; url: URL; agent: AgentAddress; host: BootHost; maxBodyBytes: number }
  | {
      kind: 'refuse';
      status: number;
      code: string;
      message: string;
      /** For the log only, never the answer. */
      detail?: Record<string, unknown>;
    };

export interface RouteContext {
  /** The address the request came from. */
  clientAddress: string;
  hosts: LeaseAddressLookup;
  agentPort: number;
  /** `proxy.ironicApiUrl`; its path, if any, prefixes the API paths. */
  ironicApiUrl: string;
  /** The node Ironic answered this caller's own lookup with, when the proxy saw one. */
  learnedNode?: (caller: CallbackCaller) => string | undefined;
}

const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NODE_IDENT = /^[A-Za-z0-9._~-]{1,255}$/;
const AGENT_TOKEN = /^[A-Za-z0-9._~=-]{1,1024}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const refuse = (status: number, code: string, message: string): CallbackRoute => ({
  kind: 'refuse',
  status,
  code,
  message,
});

const refusedBy = ({ status, code, message, detail }: CallbackRefusal): CallbackRoute => ({
  kind: 'refuse',
  status,
  code,
  message,
  detail,
});

function ironicUrl(base: string, path: string, query: URLSearchParams): URL {
  const api = new URL(base);
  const url = new URL(api.origin);
  url.pathname = `${api.pathname.replace(/\/+$/, '')}${path}`;
  const search = query.toString();
  url.search = search === '' ? '' : `?${search}`;
  return url;
}

/** Only the listed parameters, each validated; a bad value refuses the request. */
function rebuildQuery(
  raw: string,
  allowed: Record<string, (value: string) => boolean>,
): URLSearchParams | { bad: string } {
  const given = new URLSearchParams(raw);
  const out = new URLSearchParams();
  for (const [name, valid] of Object.entries(allowed)) {
    const values = given.getAll(name);
    if (values.length > 1) return { bad: `query parameter ${name} given more than once` };
    const value = values[0];
    if (value === undefined) continue;
    if (!valid(value)) return { bad: `query parameter ${name} has an unexpected value` };
    out.set(name, value);
  }
  return out;
}

function routeIronic(method: string, segments: string[], query: string, context: RouteContext): CallbackRoute {
  const path = `/${segments.join('/')}`;
  let route: IronicRoute;
  let allowedMethod: string;
  let params: Record<string, (value: string) => boolean> = {};
  let maxBodyBytes = 0;
  if (path === '/') {
    route = 'versions';
    allowedMethod = 'GET';
  } else if (path === '/v1/lookup') {
    route = 'lookup';
    allowedMethod = 'GET';
    params = {
      addresses: (value) => value.split(',').every((mac) => MAC.test(mac)),
      node_uuid: (value) => UUID.test(value),
    };
  } else if (segments.length === 3 && segments[0] === 'v1' && segments[1] === 'heartbeat') {
    if (!NODE_IDENT.test(segments[2] ?? ''))
      return refuse(404, 'bad-node-ident', 'heartbeat node identifier is malformed');
    route = 'heartbeat';
    allowedMethod = 'POST';
    maxBodyBytes = BODY_LIMITS.heartbeat;
  } else if (path === '/v1/continue_inspection') {
    route = 'continue-inspection';
    allowedMethod = 'POST';
    params = { node_uuid: (value) => UUID.test(value) };
    maxBodyBytes = BODY_LIMITS.continueInspection;
  } else {
    return refuse(404, 'unknown-path', `${path} is not an Ironic API path the agent uses`);
  }
  if (method !== allowedMethod) return refuse(405, 'method', `${method} is not allowed on ${path}`);
  const caller = context.hosts.callerByAddress(context.clientAddress);
  if (!caller) {
    return refuse(
      403,
      'unknown-client',
      `${context.clientAddress} is not the lease address of a known BareMetalHost; only their agents may call Ironic here`,
    );
  }
  const rebuilt = rebuildQuery(query, params);
  if (!(rebuilt instanceof URLSearchParams)) return refuse(400, 'bad-query', rebuilt.bad);
  const bound = bindToCaller(route, caller, segments, rebuilt, context.learnedNode?.(caller));
  if (!bound.ok) return refusedBy(bound);
  const url = ironicUrl(context.ironicApiUrl, path, rebuilt);
  return { kind: 'ironic', route, url, host: caller.host, maxBodyBytes };
}

/** Applies the caller binding to an Ironic call; a lookup's `addresses` may be narrowed in `query`. */
function bindToCaller(
  route: IronicRoute,
  caller: CallbackCaller,
  segments: string[],
  query: URLSearchParams,
  learnedNode: string | undefined,
): Authorized {
  const nodeUuid = query.get('node_uuid') ?? undefined;
  switch (route) {
    case 'versions':
      return { ok: true };
    case 'heartbeat':
      return authorizeHeartbeat(caller, segments[2] ?? '', learnedNode);
    case 'continue-inspection':
      return authorizeInspection(caller, nodeUuid, learnedNode);
    case 'lookup': {
      const decided = authorizeLookup(
        caller,
        { addresses: query.get('addresses') ?? undefined, nodeUuid },
        learnedNode,
      );
      if (decided.ok && decided.addresses !== undefined) query.set('addresses', decided.addresses);
      return decided;
    }
  }
}

function routeAgent(method: string, segments: string[], query: string, context: RouteContext): CallbackRoute {
  // agent/<scheme>/<address>/v1/commands[/]
  const [, scheme, address, ...rest] = segments;
  if ((scheme !== 'http' && scheme !== 'https') || address === undefined || !IPV4.test(address))
    return refuse(404, 'bad-agent-path', 'agent paths are /agent/<http|https>/<IPv4 address>/v1/commands/');
  const agentPath = rest.join('/');
  if (agentPath !== 'v1/commands' && agentPath !== 'v1/commands/')
    return refuse(404, 'unknown-agent-path', `/${agentPath} is not an agent API path Ironic uses`);
  if (method !== 'GET' && method !== 'POST') return refuse(405, 'method', `${method} is not allowed on agent commands`);
  // Before looking the address up, so that a host learns nothing about addresses not its own.
  const bound = authorizeAgentCall(context.hosts.byAddress(context.clientAddress), address);
  if (!bound.ok) return refusedBy(bound);
  const host = context.hosts.byAddress(address);
  if (!host) return refuse(404, 'unknown-agent', `${address} is not the lease address of a known BareMetalHost`);
  const rebuilt = rebuildQuery(query, {
    wait: (value) => value === 'true' || value === 'false',
    agent_token: (value) => AGENT_TOKEN.test(value),
  });
  if (!(rebuilt instanceof URLSearchParams)) return refuse(400, 'bad-query', rebuilt.bad);
  const url = new URL(`${scheme}://${address}:${context.agentPort}/v1/commands/`);
  const search = rebuilt.toString();
  url.search = search === '' ? '' : `?${search}`;
  return {
    kind: 'agent',
    url,
    agent: { scheme, address },
    host,
    maxBodyBytes: method === 'POST' ? BODY_LIMITS.agentCommand : 0,
  };
}

export function routeCallbackRequest(
  method: string | undefined,
  rawTarget: string | undefined,
  context: RouteContext,
): CallbackRoute {
  if (method === 'CONNECT') return refuse(405, 'connect', 'CONNECT refused: this is not a forward proxy');
  const parsed = parseRequestTarget(rawTarget);
  if (!parsed.ok) return refuse(400, parsed.refusal.code, parsed.refusal.message);
  const { segments, query } = parsed.target;
  const verb = method ?? '';
  if (segments[0] === 'agent') return routeAgent(verb, segments, query, context);
  // A trailing slash is not part of any Ironic path the agent uses, except the root.
  const trimmed = segments.length > 1 && segments.at(-1) === '' ? segments.slice(0, -1) : segments;
  return routeIronic(verb, trimmed.length === 1 && trimmed[0] === '' ? [] : trimmed, query, context);
}
