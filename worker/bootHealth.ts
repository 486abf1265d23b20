import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { closeHttp, listenHttp } from '../net/httpListener.js';
import { PROMETHEUS_CONTENT_TYPE } from './prometheusText.js';

/** Named conditions that must all hold before the process takes traffic; each starts unmet. */
export class Readiness {
  private readonly conditions = new Map<string, boolean>();

  constructor(names: readonly string[]) {
    for (const name of names) this.conditions.set(name, false);
  }

  set(name: string, met: boolean): void {
    if (!this.conditions.has(name)) throw new Error(`unknown readiness condition ${JSON.stringify(name)}`);
    this.conditions.set(name, met);
  }

  /** The conditions not met yet, in the order they were declared. */
  get unmet(): string[] {
    return [...this.conditions].filter(([, met]) => !met).map(([name]) => name);
  }

  get ready(): boolean {
    return this.unmet.length === 0;
  }
}

export interface HealthServerOptions {
  host: string;
  port: number;
  readiness: Readiness;
  /** The Prometheus text of `/metrics`, rendered per request. */
  metrics: () => string;
  logger: Logger;
}

/**
 * One small listener: `/healthz` (the process serves requests), `/readyz` (every readiness condition
 * holds; 503 naming the ones that do not) and `/metrics` (Prometheus text).
 */
export class HealthServer {
  private server: http.Server | undefined;

  constructor(private readonly options: HealthServerOptions) {}

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      this.answer(req, res);
    });
    await listenHttp(server, this.options.port, this.options.host);
    this.server = server;
    this.options.logger.info({ listen: this.url }, 'health and metrics listening');
  }

  /** `http://host:port` of the bound listener (useful when started on port 0). */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    return `http://${this.options.host}:${address?.port ?? this.options.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeHttp(server);
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const { status, body, type } = this.route(req.method, req.url);
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private route(method: string | undefined, url: string | undefined): { status: number; body: string; type: string } {
    const text = (status: number, body: string) => ({ status, body, type: 'text/plain; charset=utf-8' });
    if (method !== 'GET' && method !== 'HEAD') return text(405, 'only GET and HEAD\n');
    const path = new URL(url ?? '/', 'http://health.invalid').pathname;
    if (path === '/healthz') return text(200, 'ok\n');
    if (path === '/readyz') {
      const { unmet } = this.options.readiness;
      return unmet.length === 0 ? text(200, 'ready\n') : text(503, `not ready: ${unmet.join(', ')}\n`);
    }
    if (path !== '/metrics') return text(404, 'not found; try /healthz, /readyz or /metrics\n');
    try {
      return { status: 200, body: this.options.metrics(), type: PROMETHEUS_CONTENT_TYPE };
    } catch (error) {
      this.options.logger.error({ err: error }, 'rendering metrics failed');
      return text(500, 'metrics unavailable\n');
    }
  }
}
