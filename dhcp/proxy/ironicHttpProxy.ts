import type http from 'node:http';
import { forwardHttp, pickHeaders, type ForwardOutcome } from './forwardHttp.js';
import { count, countOutcome, newProxyStats, type ProxyStats } from './proxyStats.js';
import type { RequestTarget } from './requestTarget.js';

/** Request headers a download needs: ranges, revalidation, content negotiation. Nothing else is sent. */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-encoding',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'range',
  'user-agent',
] as const;

export interface IronicHttpProxyOptions {
  /** `proxy.ironicHttpUrl`; a path in it prefixes every forwarded path. */
  ironicHttpUrl: string;
  /** A stalled upstream is given up after this long without data. */
  idleTimeoutMs?: number;
}

export interface ProxiedAnswer {
  status: number;
  /** Why the request failed, for the log line (absent when the upstream answered). */
  reason?: string;
  outcome: ForwardOutcome['kind'];
}

/**
 * Streams GET and HEAD requests to Ironic's HTTP server (agent kernel and ramdisk, images), so
 * that hosts on the provisioning network need to reach only this server. The caller has already
 * checked the method and the request target.
 */
export class IronicHttpProxy {
  readonly stats: ProxyStats = newProxyStats();
  private readonly base: URL;

  constructor(private readonly options: IronicHttpProxyOptions) {
    this.base = new URL(options.ironicHttpUrl);
  }

  /** The upstream URL for a validated target: same origin as `ironicHttpUrl`, its path as prefix. */
  upstreamUrl(target: RequestTarget): URL {
    const url = new URL(this.base.origin);
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}${target.path}`;
    url.search = target.query === '' ? '' : `?${target.query}`;
    return url;
  }

  /** Counts a request refused before forwarding (the caller answers it). */
  refuse(code: string): void {
    this.stats.requests++;
    count(this.stats.refused, code);
  }

  async forward(req: http.IncomingMessage, res: http.ServerResponse, target: RequestTarget): Promise<ProxiedAnswer> {
    this.stats.requests++;
    const outcome = await forwardHttp(req, res, {
      url: this.upstreamUrl(target),
      method: req.method === 'HEAD' ? 'HEAD' : 'GET',
      headers: pickHeaders(req.headers, FORWARDED_REQUEST_HEADERS),
      body: { kind: 'none' },
      // Ironic's own redirects go back to the client untouched; iPXE decides whether to follow.
      redirects: 'pass',
      idleTimeoutMs: this.options.idleTimeoutMs ?? 60_000,
    });
    countOutcome(this.stats, 'ironic-http', outcome);
    switch (outcome.kind) {
      case 'forwarded':
        return { status: outcome.status, outcome: outcome.kind };
      case 'upstream-error':
        return { status: 502, reason: outcome.reason, outcome: outcome.kind };
      case 'client-aborted':
        return { status: 499, reason: 'client closed the connection; upstream request aborted', outcome: outcome.kind };
      case 'redirect-refused':
        return { status: 502, reason: `upstream redirected to ${outcome.location}`, outcome: outcome.kind };
      case 'body-too-large':
      case 'response-too-large':
        return { status: 413, reason: `size limit ${outcome.limit} exceeded`, outcome: outcome.kind };
    }
  }
}
