import { createReadStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { closeHttp, listenHttp } from '../../net/httpListener.js';
import type { ScriptKind } from '../dhcpv4/chooseBootFile.js';
import type { HostLookup } from '../hosts/hostLookup.js';
import { IronicHttpProxy } from '../proxy/ironicHttpProxy.js';
import { renderIpxeScript, type ScriptSettings } from './ipxeScripts.js';
import type { ProxyStats } from '../proxy/proxyStats.js';
import { parseRequestTarget } from '../proxy/requestTarget.js';
import { BootFilePathError, resolveBootFilePath } from '../bootFiles/resolveBootFilePath.js';

export interface HttpBootServerOptions {
  listenHost: string;
  port: number;
  /** The boot-file root, shared with TFTP. */
  root: string;
  lookup: HostLookup;
  scripts: ScriptSettings;
  /** `proxy.ironicHttpUrl`: every path not served here is streamed from there. */
  ironicHttpUrl: string;
  logger: Logger;
}

const SCRIPT_PATH = /^\/ipxe\/(inspector|installer|local)\.ipxe$/;

interface Answer {
  status: number;
  mac?: string;
  host?: string;
  /** Set for requests forwarded to Ironic: what happened, and why it failed if it did. */
  proxy?: string;
  reason?: string;
}

/**
 * Serves boot binaries under `/boot/<file>` and iPXE scripts under `/ipxe/<kind>.ipxe?mac=<mac>`;
 * every other path is proxied to Ironic's HTTP server (the agent kernel and ramdisk the scripts
 * name, images). Scripts are only rendered for MACs of known hosts; every request is logged.
 */
/** Counters of every request answered, proxied ones included, for the metrics endpoint. */
export interface HttpBootStats {
  requests: number;
  /** Finished or aborted responses by status code. */
  responses: Record<string, number>;
  /** Bytes written to clients, headers included. */
  sentBytes: number;
}

export class HttpBootServer {
  readonly stats: HttpBootStats = { requests: 0, responses: {}, sentBytes: 0 };
  private server: http.Server | undefined;
  private readonly ironic: IronicHttpProxy;

  constructor(private readonly options: HttpBootServerOptions) {
    this.ironic = new IronicHttpProxy({ ironicHttpUrl: options.ironicHttpUrl });
  }

  /** Counters of the requests forwarded to Ironic's HTTP server. */
  get proxyStats(): ProxyStats {
    return this.ironic.stats;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      this.count(req, res);
      this.handle(req, res)
        .then((answer) => {
          this.log(req, answer);
        })
        .catch((error: unknown) => {
          this.options.logger.error({ err: error, path: req.url }, 'HTTP boot request failed');
          if (!res.headersSent) res.writeHead(500).end();
          else res.destroy();
        });
    });
    // CONNECT is a forward-proxy request; this server is not one.
    server.on('connect', (req: http.IncomingMessage, socket: Duplex) => {
      this.ironic.refuse('connect');
      this.log(req, { status: 405, reason: 'CONNECT refused: not a forward proxy' });
      socket.end('HTTP/1.1 405 Method Not Allowed\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    });
    await listenHttp(server, this.options.port, this.options.listenHost);
    this.server = server;
    this.options.logger.info({ listen: `${this.options.listenHost}:${this.port}` }, 'HTTP boot server listening');
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.options.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeHttp(server);
  }

  private count(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.stats.requests++;
    // Responses on one connection are sequential, so the socket's byte count delta is this response's.
    const before = req.socket.bytesWritten;
    res.once('close', () => {
      this.stats.responses[res.statusCode] = (this.stats.responses[res.statusCode] ?? 0) + 1;
      this.stats.sentBytes += req.socket.bytesWritten - before;
    });
  }

  private log(req: http.IncomingMessage, answer: Answer): void {
    const fields = {
      method: req.method,
      path: req.url,
      status: answer.status,
      mac: answer.mac,
      host: answer.host,
      proxy: answer.proxy,
      reason: answer.reason,
      client: req.socket.remoteAddress,
    };
    if (answer.reason !== undefined) this.options.logger.warn(fields, 'HTTP boot request');
    else this.options.logger.info(fields, 'HTTP boot request');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<Answer> {
    const text = (status: number, body: string, extra: Omit<Answer, 'status'> = {}): Answer => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return { status, ...extra };
    };
    const raw = req.url ?? '';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      if (!isLocalPath(raw)) this.ironic.refuse('method');
      return text(405, 'only GET and HEAD are served\n', { reason: `method ${req.method ?? ''} refused` });
    }
    if (!raw.startsWith('/') || raw.startsWith('//')) {
      // "GET http://elsewhere/ HTTP/1.1" and the like: this is not a forward proxy.
      this.ironic.refuse('not-origin-form');
      return text(400, 'only origin-form request targets (/path) are served\n', { reason: 'not-origin-form' });
    }
    if (!isLocalPath(raw)) {
      const parsed = parseRequestTarget(raw);
      if (!parsed.ok) {
        this.ironic.refuse(parsed.refusal.code);
        return text(400, `${parsed.refusal.message}\n`, { reason: parsed.refusal.code });
      }
      const proxied = await this.ironic.forward(req, res, parsed.target);
      return { status: proxied.status, proxy: proxied.outcome, reason: proxied.reason };
    }
    const url = new URL(req.url ?? '/', 'http://boot.invalid');

    const script = SCRIPT_PATH.exec(url.pathname);
    if (script) {
      const mac = url.searchParams.get('mac') ?? '';
      const host = this.options.lookup.byMac(mac);
      if (!host) return text(404, `no BareMetalHost with boot MAC "${mac}"\n`, { mac });
      const body = renderIpxeScript(script[1] as ScriptKind, host, this.options.scripts);
      return text(200, body, { mac: host.mac, host: host.host });
    }

    if (url.pathname.startsWith('/boot/')) {
      let name: string;
      try {
        name = decodeURIComponent(url.pathname.slice('/boot/'.length));
      } catch {
        return text(400, 'malformed percent-encoding\n');
      }
      try {
        const file = await resolveBootFilePath(this.options.root, name);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.size });
        if (req.method === 'HEAD') {
          res.end();
        } else {
          await new Promise<void>((resolve, reject) => {
            createReadStream(file.path).on('error', reject).pipe(res).on('finish', resolve).on('error', reject);
          });
        }
        return { status: 200 };
      } catch (error) {
        if (!(error instanceof BootFilePathError)) throw error;
        return text(error.refusal === 'not-found' ? 404 : 403, `${error.message}\n`);
      }
    }
    return text(404, 'not found\n');
  }
}

/** `/boot/` and `/ipxe/` are this server's own; nothing under them is forwarded. */
function isLocalPath(target: string | undefined): boolean {
  return target !== undefined && (target.startsWith('/boot/') || target.startsWith('/ipxe/'));
}
