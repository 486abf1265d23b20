import type { BootHost } from '../hosts/bootHost.js';
import type { CallbackCaller } from '../hosts/callbackCaller.js';
import { normalizeMac } from '../dhcpv4/dhcpPacket.js';

/**
 * Ties each callback proxy request to its caller, without any I/O. The caller is the host whose
 * lease is the request's source address (see callbackRoutes.ts); it may name only its own MACs and
 * its own Ironic node, and reach only its own agent. A refusal says what the rule is and never
 * whether what was named belongs to another host, or exists at all: the answer depends on the
 * caller's own record only. `detail` is for the log (MACs and node UUIDs, never tokens).
 */

export interface CallbackRefusal {
  ok: false;
  status: 403;
  code: string;
  message: string;
  detail: Record<string, unknown>;
}

export type Authorized<T extends object = object> = ({ ok: true } & T) | CallbackRefusal;

export const REFUSAL_MESSAGES = {
  lookup: 'lookup refused: an agent may look up only its own host, by that host’s MAC addresses and node',
  heartbeat: 'heartbeat refused: an agent may heartbeat only for its own host’s node',
  inspection: 'inspection data refused: an agent may name only its own host’s node',
  agent: 'agent call refused: a host may reach only its own agent',
} as const;

function refuse(code: string, message: string, caller: string, detail: Record<string, unknown>): CallbackRefusal {
  return { ok: false, status: 403, code, message, detail: { caller, ...detail } };
}

/** The caller's Ironic node UUIDs: BMO's record, and the node Ironic answered the caller's own lookup with. */
function ownNodes(caller: CallbackCaller, learnedNode: string | undefined): Set<string> {
  const nodes = new Set<string>();
  if (caller.nodeUuid !== undefined) nodes.add(caller.nodeUuid);
  if (learnedNode !== undefined) nodes.add(learnedNode.toLowerCase());
  return nodes;
}

/**
 * `GET /v1/lookup?addresses=<MACs>&node_uuid=<uuid>`. Ironic finds the node by `node_uuid` alone
 * when it is given, otherwise by any port among `addresses` (and answers 404 when they match
 * several nodes), so both are bound: `node_uuid` must be the caller's node, and `addresses` must
 * hold one of the caller's MACs and no MAC that is not the caller's. IPA lists every interface it
 * sees; before inspection has recorded them, the proxy cannot tell the caller's other NICs from
 * anyone's, so those MACs are left out of the forwarded lookup instead (its boot MAC finds it).
 * Returns the `addresses` value to forward.
 */
export function authorizeLookup(
  caller: CallbackCaller,
  query: { addresses: string | undefined; nodeUuid: string | undefined },
  learnedNode?: string,
): Authorized<{ addresses: string | undefined }> {
  const who = caller.host.host;
  if (query.nodeUuid !== undefined && !ownNodes(caller, learnedNode).has(query.nodeUuid.toLowerCase()))
    return refuse('lookup-other-node', REFUSAL_MESSAGES.lookup, who, { nodeUuid: query.nodeUuid });
  if (query.addresses === undefined) return { ok: true, addresses: undefined };
  const own = new Set(caller.macs);
  const given = query.addresses.split(',');
  const kept = given.filter((mac) => own.has(normalizeMac(mac) ?? ''));
  const others = given.filter((mac) => !kept.includes(mac));
  if (kept.length === 0 || (others.length > 0 && caller.nicsKnown))
    return refuse('lookup-other-mac', REFUSAL_MESSAGES.lookup, who, { addresses: others });
  return { ok: true, addresses: kept.join(',') };
}

/**
 * `POST /v1/heartbeat/{node_ident}`. Ironic takes a UUID or a name; IPA sends the UUID its lookup
 * returned, so only the caller's own node UUID passes.
 */
export function authorizeHeartbeat(caller: CallbackCaller, nodeIdent: string, learnedNode?: string): Authorized {
  if (ownNodes(caller, learnedNode).has(nodeIdent.toLowerCase())) return { ok: true };
  return refuse('heartbeat-other-node', REFUSAL_MESSAGES.heartbeat, caller.host.host, { node: nodeIdent });
}

/** `POST /v1/continue_inspection?node_uuid=<uuid>`: Ironic files the data under that node when it is given. */
export function authorizeInspection(
  caller: CallbackCaller,
  nodeUuid: string | undefined,
  learnedNode?: string,
): Authorized {
  if (nodeUuid === undefined || ownNodes(caller, learnedNode).has(nodeUuid.toLowerCase())) return { ok: true };
  return refuse('inspection-other-node', REFUSAL_MESSAGES.inspection, caller.host.host, { nodeUuid });
}

/**
 * `/agent/<scheme>/<address>/v1/commands/`: Ironic's conductor calls the agent back at the URL a
 * rewritten heartbeat gave it. The conductor holds no lease; a caller that does is a host on the
 * provisioning network, and reaches only the agent at its own lease address. (The agent itself
 * still checks Ironic's agent token on every command.)
 */
export function authorizeAgentCall(caller: BootHost | undefined, targetAddress: string): Authorized {
  if (caller === undefined || caller.address === targetAddress) return { ok: true };
  return refuse('agent-other-host', REFUSAL_MESSAGES.agent, caller.host, { agent: targetAddress });
}
