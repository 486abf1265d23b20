import type { ForwardOutcome } from './forwardHttp.js';

/** Counters of one proxy, by outcome, for logs on shutdown and a metrics endpoint. */
export interface ProxyStats {
  /** Requests that reached the proxy. */
  requests: number;
  /** Answered by the upstream, by route (the HTTP proxy has one route, "ironic-http"). */
  forwarded: Record<string, number>;
  /** Refused without contacting any upstream, by reason code. */
  refused: Record<string, number>;
  /** Forwarded but failed: upstream-error, redirect-refused, body-too-large, response-too-large. */
  failed: Record<string, number>;
  /** The client went away before the answer was complete (the upstream request was aborted). */
  clientAborted: number;
}

export function newProxyStats(): ProxyStats {
  return { requests: 0, forwarded: {}, refused: {}, failed: {}, clientAborted: 0 };
}

export function count(counters: Record<string, number>, key: string): void {
  counters[key] = (counters[key] ?? 0) + 1;
}

/** Counts one forwarding outcome under its route. */
export function countOutcome(stats: ProxyStats, route: string, outcome: ForwardOutcome): void {
  if (outcome.kind === 'forwarded') count(stats.forwarded, route);
  else if (outcome.kind === 'client-aborted') stats.clientAborted++;
  else count(stats.failed, outcome.kind);
}
