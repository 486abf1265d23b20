import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { closeHttp, listenHttp } from '../../net/httpListener.js';
import type { CallbackCaller } from '../hosts/callbackCaller.js';
import { routeCallbackRequest, type CallbackRoute } from './callbackRoutes.js';
import { forwardHttp, pickHeaders, type ForwardOutcome, type ForwardRequest } from './forwardHttp.js';
import type { LeaseAddressLookup } from '../hosts/hostLookup.js';
import { count, countOutcome, newProxyStats, type ProxyStats } from './proxyStats.js';
import { DEFAULT_AGENT_PORT, rewriteHeartbeat } from './rewriteCallbackUrl.js';

export interface CallbackProxyOptions {
  listenHost: string;
  port: number;
  /** `proxy.callbackAdvertiseUrl`: Ironic calls agents back under `<this>/agent/...`. */
  advertiseUrl: string;
  /** `proxy.ironicApiUrl`: the only place agent requests go. */
  ironicApiUrl: string;
  hosts: LeaseAddressLookup;
  /** `--callback-insecure-skip-verify`: do not verify the agent's TLS certificate. */
  insecureSkipVerify: boolean;
  logger: Logger;
  agentPort?: number;
  idleTimeoutMs?: number;
  /** Answers larger than this (from Ironic or an agent) are cut off. */
  maxResponseBytes?: number;
}

/** Only what the agent and Ironic need; cookies, authorisation and proxy headers never cross. */
const REQUEST_HEADERS = [
  'accept',
  'content-type',
  'user-agent',
  'openstack-api-version',
  'x-openstack-ironic-api-version',
  'x-openstack-request-id',
] as const;

/** A lookup answer is a node and the agent's configuration: a few KiB. */
const LOOKUP_ANSWER_BYTES = 256 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function clientAddressOf(req: http.IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

function reply(res: http.ServerResponse, status: number, message: string): void {
  const body = `${message}\n`;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Reads a small body whole (a heartbeat, to rewrite it); undefined once it passes `limit`. */
async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The IPA callback proxy: the agent in the ramdisk reaches the Ironic API through it, and Ironic
 * reaches the agent back through it, because heartbeats are rewritten to name this proxy as the
 * agent's callback URL. It is never an open proxy (see callbackRoutes.ts).
 */
export class CallbackProxy {
  readonly stats: ProxyStats = newProxyStats();
  private server: http.Server | undefined;
  /** Lease address → the certificate that agent sent in its last accepted heartbeat. */
  private readonly agentCas = new Map<string, string>();
  /** Host (`namespace/name`) → the node Ironic answered its own lookup with, and the boot MAC it had. */
  private readonly lookedUp = new Map<string, { mac: string; node: string }>();

  constructor(private readonly options: CallbackProxyOptions) {}

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.options.logger.error({ err: error, path: req.url?.split('?')[0] }, 'callback proxy request failed');
        if (!res.headersSent) reply(res, 500, 'internal error');
        else res.destroy();
      });
    });
    server.on('connect', (req: http.IncomingMessage, socket: Duplex) => {
      this.stats.requests++;
      count(this.stats.refused, 'connect');
      this.logRefusal(req, { status: 405, code: 'connect', message: 'CONNECT refused: this is not a forward proxy' });
      socket.end('HTTP/1.1 405 Method Not Allowed\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    });
    await listenHttp(server, this.options.port, this.options.listenHost);
    this.server = server;
    this.options.logger.info(
      { listen: `${this.options.listenHost}:${this.port}`, ironicApi: this.options.ironicApiUrl },
      'IPA callback proxy listening',
    );
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.options.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeHttp(server);
  }

  private logRefusal(
    req: http.IncomingMessage,
    refusal: { status: number; code: string; message: string; detail?: Record<string, unknown> },
  ): void {
    this.options.logger.warn(
      {
        method: req.method,
        path: req.url?.split('?')[0],
        client: clientAddressOf(req),
        status: refusal.status,
        reason: refusal.code,
        ...refusal.detail,
      },
      `callback proxy refused: ${refusal.message}`,
    );
  }

  private refuse(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    code: string,
    message: string,
    detail?: Record<string, unknown>,
  ): void {
    count(this.stats.refused, code);
    this.logRefusal(req, { status, code, message, ...(detail !== undefined ? { detail } : {}) });
    reply(res, status, message);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.stats.requests++;
    const clientAddress = clientAddressOf(req);
    const route = routeCallbackRequest(req.method, req.url, {
      clientAddress,
      hosts: this.options.hosts,
      agentPort: this.options.agentPort ?? DEFAULT_AGENT_PORT,
      ironicApiUrl: this.options.ironicApiUrl,
      learnedNode: (caller) => this.learnedNode(caller),
    });
    if (route.kind === 'refuse') {
      this.refuse(req, res, route.status, route.code, route.message, route.detail);
      return;
    }
    const base = {
      method: req.method ?? 'GET',
      headers: pickHeaders(req.headers, REQUEST_HEADERS),
      // Redirects would send the agent or Ironic somewhere this proxy never vetted.
      redirects: 'refuse',
      idleTimeoutMs: this.options.idleTimeoutMs ?? 120_000,
      maxResponseBytes: this.options.maxResponseBytes ?? 16 * 1024 * 1024,
    } as const;

    if (route.kind === 'ironic' && route.route === 'heartbeat') {
      await this.heartbeat(req, res, route, base);
      return;
    }
    const request: ForwardRequest = {
      ...base,
      url: route.url,
      body: route.maxBodyBytes > 0 ? { kind: 'stream', source: req, maxBytes: route.maxBodyBytes } : { kind: 'none' },
      ...(route.kind === 'ironic' && route.route === 'lookup' ? { keepResponseBytes: LOOKUP_ANSWER_BYTES } : {}),
    };
    if (route.kind === 'agent') {
      const ca = this.agentCas.get(route.agent.address);
      request.tls = this.options.insecureSkipVerify
        ? { rejectUnauthorized: false }
        : { rejectUnauthorized: true, ...(ca !== undefined ? { ca } : {}) };
    }
    const outcome = await forwardHttp(req, res, request);
    if (route.kind === 'ironic' && route.route === 'lookup') this.learnNode(route.host.host, route.host.mac, outcome);
    this.finish(req, route, route.kind === 'agent' ? 'agent' : route.route, outcome);
  }

  /**
   * Remembers the node Ironic found for a caller's own lookup (it may name only its own MACs and
   * node), so that its heartbeats are accepted where BMO has not recorded the node on the host.
   */
  private learnNode(host: string, mac: string, outcome: ForwardOutcome): void {
    if (outcome.kind !== 'forwarded' || outcome.status !== 200 || outcome.kept === undefined) return;
    let node: unknown;
    try {
      node = (JSON.parse(outcome.kept.toString('utf8')) as { node?: { uuid?: unknown } }).node?.uuid;
    } catch {
      return;
    }
    if (typeof node === 'string' && UUID.test(node)) this.lookedUp.set(host, { mac, node: node.toLowerCase() });
  }

  private learnedNode(caller: CallbackCaller): string | undefined {
    const learned = this.lookedUp.get(caller.host.host);
    // A host whose boot MAC changed is another machine; what its predecessor looked up is not its.
    return learned?.mac === caller.host.mac ? learned.node : undefined;
  }

  private async heartbeat(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: Extract<CallbackRoute, { kind: 'ironic' }>,
    base: Omit<ForwardRequest, 'url' | 'body'>,
  ): Promise<void> {
    const raw = await readBody(req, route.maxBodyBytes);
    if (raw === undefined) {
      res.setHeader('connection', 'close');
      this.refuse(req, res, 413, 'body-too-large', `heartbeat body exceeds ${route.maxBodyBytes} bytes`);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      this.refuse(req, res, 400, 'bad-heartbeat', 'heartbeat body is not JSON');
      return;
    }
    const rewritten = rewriteHeartbeat(body, {
      clientAddress: clientAddressOf(req),
      hosts: this.options.hosts,
      agentPort: this.options.agentPort ?? DEFAULT_AGENT_PORT,
      advertiseUrl: this.options.advertiseUrl,
      ironicApiUrl: this.options.ironicApiUrl,
    });
    if (!rewritten.ok) {
      this.refuse(req, res, 403, rewritten.code, rewritten.message);
      return;
    }
    const outcome = await forwardHttp(req, res, {
      ...base,
      url: route.url,
      headers: { ...base.headers, 'content-type': 'application/json' },
      body: { kind: 'buffer', data: Buffer.from(JSON.stringify(rewritten.body)) },
    });
    if (outcome.kind === 'forwarded' && outcome.status >= 200 && outcome.status < 300) {
      if (rewritten.agentCa !== undefined) this.agentCas.set(rewritten.agent.address, rewritten.agentCa);
      else this.agentCas.delete(rewritten.agent.address);
    }
    this.finish(req, route, 'heartbeat', outcome);
  }

  private finish(
    req: http.IncomingMessage,
    route: Exclude<CallbackRoute, { kind: 'refuse' }>,
    name: string,
    outcome: ForwardOutcome,
  ): void {
    countOutcome(this.stats, name, outcome);
    const fields = {
      method: req.method,
      route: name,
      // The path only: agent command URLs carry the agent token in their query.
      path: req.url?.split('?')[0],
      client: clientAddressOf(req),
      host: route.host.host,
      upstream: route.url.origin,
      outcome: outcome.kind,
      ...(outcome.kind === 'forwarded' ? { status: outcome.status } : {}),
    };
    if (outcome.kind === 'forwarded') this.options.logger.info(fields, 'callback proxy request');
    else
      this.options.logger.warn({ ...fields, detail: outcome }, `callback proxy request not completed: ${outcome.kind}`);
  }
}
