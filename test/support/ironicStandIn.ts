import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from './agentStandIn.js';

/**
 * Small stand-ins for Ironic on loopback: the API (version discovery, lookup, heartbeat,
 * continue_inspection, and calling the agent back at the heartbeat's callback_url as the conductor
 * does), and the HTTP server that hands out the agent kernel and ramdisk.
 */

export interface StandInNode {
  uuid: string;
  macs: string[];
}

export interface CallBack {
  url: string;
  method: string;
  status?: number;
  body?: string;
  error?: string;
}

async function listen(server: http.Server, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** One call as Ironic's agent client makes it: no redirects followed, JSON in and out. */
function callAgent(url: string, method: string, body?: string): Promise<CallBack> {
  return new Promise<CallBack>((resolve) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(
      target,
      { method, headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ url, method, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('error', (error) => {
      resolve({ url, method, error: error.message });
    });
    req.end(body);
  });
}

export class IronicApiStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly callBacks: CallBack[] = [];
  readonly tokens = new Map<string, string>();
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly nodes: StandInNode[],
  ) {}

  static async start(nodes: StandInNode[], host = '127.0.0.1'): Promise<IronicApiStandIn> {
    const server = http.createServer();
    const ironic = new IronicApiStandIn(server, nodes);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          remoteAddress: req.socket.remoteAddress ?? '',
        };
        ironic.requests.push(recorded);
        ironic.answer(recorded, res);
      });
    });
    await listen(server, host);
    return ironic;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  /** Resolves once `count` call-backs to agents have completed. */
  async waitForCallBacks(count: number, timeoutMs = 10_000): Promise<CallBack[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.callBacks.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.callBacks.length} of ${count} call-backs happened`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.callBacks.slice(0, count);
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  private answer(req: RecordedRequest, res: http.ServerResponse): void {
    const url = new URL(req.url, 'http://ironic.invalid');
    if (req.method === 'GET' && url.pathname === '/') {
      json(res, 200, {
        name: 'OpenStack Ironic API',
        default_version: { id: 'v1', version: '1.68', min_version: '1.1' },
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/v1/lookup') {
      const macs = (url.searchParams.get('addresses') ?? '').toLowerCase().split(',');
      const node = this.nodes.find((candidate) => candidate.macs.some((mac) => macs.includes(mac)));
      if (!node) {
        json(res, 404, { error_message: { faultstring: 'Node could not be found.' } });
        return;
      }
      const token = randomBytes(32).toString('base64url');
      this.tokens.set(node.uuid, token);
      json(res, 200, {
        node: { uuid: node.uuid, properties: {}, instance_info: {}, driver_internal_info: {} },
        config: { heartbeat_timeout: 300, agent_token: token, agent_token_required: true },
      });
      return;
    }
    const heartbeat = /^\/v1\/heartbeat\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && heartbeat) {
      const uuid = heartbeat[1] ?? '';
      const body = JSON.parse(req.body) as { callback_url?: string; agent_token?: string };
      if (!this.nodes.some((node) => node.uuid === uuid) || body.agent_token !== this.tokens.get(uuid)) {
        json(res, 400, { error_message: { faultstring: 'Invalid or missing agent token received.' } });
        return;
      }
      res.writeHead(202).end();
      // As the conductor does after a heartbeat: ask the agent for its commands, then run one.
      void this.callBack(body.callback_url ?? '', this.tokens.get(uuid) ?? '');
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/continue_inspection') {
      json(res, 202, { uuid: this.nodes[0]?.uuid });
      return;
    }
    json(res, 404, { error_message: { faultstring: `no route ${req.method} ${url.pathname}` } });
  }

  private async callBack(agentUrl: string, token: string): Promise<void> {
    const commands = `${agentUrl}/v1/commands/`;
    this.callBacks.push(await callAgent(commands, 'GET'));
    const run = `${commands}?wait=true&agent_token=${token}`;
    this.callBacks.push(await callAgent(run, 'POST', JSON.stringify({ name: 'clean.get_clean_steps', params: {} })));
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** Bytes of the generated large file: position-dependent, so a reordered or dropped chunk shows. */
export function byteAt(position: number): number {
  return (position * 31 + (position >>> 16)) & 0xff;
}

function generated(start: number, length: number): Buffer {
  const chunk = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) chunk[i] = byteAt(start + i);
  return chunk;
}

export interface HttpStandInOptions {
  kernel: Buffer;
  /** Size of `/images/large.img`, streamed from a generator. */
  largeSize: number;
  /** Location of `/images/moved` (a 302). */
  redirectTo: string;
}

/**
 * Ironic's HTTP server: `/images/ironic-python-agent.kernel` (with single ranges), a large
 * generated image that waits at `gate` after its first MiB (so a test can see bytes arrive before
 * the upstream finished), a never-ending `/images/stall`, and a redirect.
 */
export class IronicHttpStandIn {
  readonly requests: RecordedRequest[] = [];
  /** Requests whose connection closed before the answer completed, by path. */
  readonly closedEarly: string[] = [];
  largeFinished = false;
  /** Bytes of the large image the upstream socket has accepted so far (backpressure holds this back). */
  largeWritten = 0;
  private openGate: () => void = () => undefined;
  /** Resolve to let the large image continue after its first MiB. */
  readonly gate: Promise<void>;

  private constructor(
    private readonly server: http.Server,
    private readonly options: HttpStandInOptions,
  ) {
    this.gate = new Promise<void>((resolve) => {
      this.openGate = resolve;
    });
  }

  static async start(options: HttpStandInOptions, host = '127.0.0.1'): Promise<IronicHttpStandIn> {
    const server = http.createServer();
    const stand = new IronicHttpStandIn(server, options);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      stand.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: '',
        remoteAddress: req.socket.remoteAddress ?? '',
      });
      res.on('close', () => {
        if (!res.writableFinished) stand.closedEarly.push(req.url ?? '');
      });
      void stand.answer(req, res);
    });
    await listen(server, host);
    return stand;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  releaseGate(): void {
    this.openGate();
  }

  async close(): Promise<void> {
    this.releaseGate();
    await closeServer(this.server);
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const head = req.method === 'HEAD';
    switch (req.url) {
      case '/images/ironic-python-agent.kernel': {
        const { kernel } = this.options;
        const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
        if (range) {
          const start = Number(range[1]);
          const end = range[2] === '' ? kernel.length - 1 : Math.min(Number(range[2]), kernel.length - 1);
          res.writeHead(206, {
            'content-type': 'application/octet-stream',
            'content-length': end - start + 1,
            'content-range': `bytes ${start}-${end}/${kernel.length}`,
            'accept-ranges': 'bytes',
          });
          res.end(head ? undefined : kernel.subarray(start, end + 1));
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': kernel.length,
          'accept-ranges': 'bytes',
          etag: '"kernel-1"',
        });
        res.end(head ? undefined : kernel);
        return;
      }
      case '/images/large.img': {
        const size = this.options.largeSize;
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
        const step = 1024 * 1024;
        for (let offset = 0; offset < size && !res.destroyed; offset += step) {
          if (offset === step) await this.gate;
          const chunk = generated(offset, Math.min(step, size - offset));
          this.largeWritten += chunk.length;
          if (!res.write(chunk))
            await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
        }
        if (!res.destroyed) {
          res.end();
          this.largeFinished = true;
        }
        return;
      }
      case '/images/stall':
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 1024 * 1024 });
        res.write(Buffer.alloc(1024, 1));
        return; // never finishes: the test's client leaves
      case '/images/moved':
        res.writeHead(302, { location: this.options.redirectTo, 'content-length': 0 });
        res.end();
        return;
      default:
        res.writeHead(404, { 'content-length': 0 });
        res.end();
    }
  }
}
