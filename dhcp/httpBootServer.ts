import { createReadStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ScriptKind } from './chooseBootFile.js';
import type { HostLookup } from './hostIndex.js';
import { renderIpxeScript, type ScriptSettings } from './ipxeScripts.js';
import { BootFilePathError, resolveBootFilePath } from './resolveBootFilePath.js';

export interface HttpBootServerOptions {
  listenHost: string;
  port: number;
  /** The boot-file root, shared with TFTP. */
  root: string;
  lookup: HostLookup;
  scripts: ScriptSettings;
  logger: Logger;
}

const SCRIPT_PATH = /^\/ipxe\/(inspector|installer|local)\.ipxe$/;

interface Answer {
  status: number;
  mac?: string;
  host?: string;
}

/**
 * Serves boot binaries under `/boot/<file>` and iPXE scripts under `/ipxe/<kind>.ipxe?mac=<mac>`.
 * Scripts are only rendered for MACs of known hosts; every request is logged with MAC and host.
 */
export class HttpBootServer {
  private server: http.Server | undefined;

  constructor(private readonly options: HttpBootServerOptions) {}

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
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
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.listenHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.options.logger.info({ listen: `${this.options.listenHost}:${this.port}` }, 'HTTP boot server listening');
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.options.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }

  private log(req: http.IncomingMessage, answer: Answer): void {
    this.options.logger.info(
      {
        method: req.method,
        path: req.url,
        status: answer.status,
        mac: answer.mac,
        host: answer.host,
        client: req.socket.remoteAddress,
      },
      'HTTP boot request',
    );
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<Answer> {
    const text = (status: number, body: string, extra: Omit<Answer, 'status'> = {}): Answer => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return { status, ...extra };
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'only GET and HEAD are served\n');
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
