import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A stand-in for the Ironic Python Agent: its command API (what Ironic calls back) on a loopback
 * address, over HTTP or HTTPS, and the agent's own client calls (lookup, heartbeat) made from that
 * address, as IPA makes them from its lease address.
 */

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  remoteAddress: string;
}

export interface SelfSignedCert {
  key: string;
  cert: string;
}

/** A self-signed certificate for an IP address, as IPA generates one for its auto TLS. */
export function selfSignedCert(address: string): SelfSignedCert {
  const dir = mkdtempSync(path.join(tmpdir(), 'agent-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${address}`,
        '-addext',
        `subjectAltName=IP:${address}`,
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface AgentStandInOptions {
  address: string;
  port: number;
  tls?: SelfSignedCert;
}

/** How the agent answers a command request; the default is IPA's happy path. */
export type AgentResponder = (req: RecordedRequest, res: http.ServerResponse) => void;

const defaultResponder: AgentResponder = (req, res) => {
  const body =
    req.method === 'GET'
      ? { commands: [{ command_name: 'get_clean_steps', command_status: 'SUCCEEDED', command_error: null }] }
      : {
          id: 'cmd-1',
          command_name: (JSON.parse(req.body || '{}') as { name?: string }).name ?? '',
          command_status: 'SUCCEEDED',
          command_result: { served_by: req.remoteAddress },
          command_error: null,
        };
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

export class AgentStandIn {
  static readonly defaultResponder: AgentResponder = defaultResponder;
  readonly requests: RecordedRequest[] = [];
  respond: AgentResponder = defaultResponder;
  private constructor(
    private readonly server: http.Server,
    readonly address: string,
    readonly scheme: 'http' | 'https',
  ) {}

  static async start(options: AgentStandInOptions): Promise<AgentStandIn> {
    const server = options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert })
      : http.createServer();
    const agent = new AgentStandIn(server, options.address, options.tls ? 'https' : 'http');
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
        agent.requests.push(recorded);
        agent.respond(recorded, res);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return agent;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The callback URL IPA would advertise in its heartbeat. */
  get callbackUrl(): string {
    return `${this.scheme}://${this.address}:${this.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  bytes: Buffer;
}

/** One HTTP request from `localAddress` (the agent's lease address), as IPA's client sends it. */
export function request(
  url: string,
  options: { method?: string; body?: string | Buffer; headers?: http.OutgoingHttpHeaders; localAddress?: string } = {},
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const target = new URL(url);
    const req = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: {
          accept: 'application/json',
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        localAddress: options.localAddress,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** IPA's heartbeat, sent from the agent's address to the callback proxy. */
export function heartbeat(
  proxyUrl: string,
  agent: { address: string },
  nodeUuid: string,
  fields: Record<string, unknown>,
): Promise<Answer> {
  return request(`${proxyUrl}/v1/heartbeat/${nodeUuid}`, {
    method: 'POST',
    localAddress: agent.address,
    headers: { 'x-openstack-ironic-api-version': '1.68' },
    body: JSON.stringify({ agent_version: '10.0.0', ...fields }),
  });
}

/**
 * Sends `text` as is on a fresh connection and returns the status line of the answer: for request
 * targets and methods an ordinary client will not send (absolute form, CONNECT, raw bytes).
 */
export function rawHttp(host: string, port: number, text: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = net.connect({ host, port }, () => {
      socket.write(text);
    });
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n');
      if (end !== -1) {
        socket.destroy();
        resolve(received.slice(0, end));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      resolve(received.split('\r\n')[0] ?? '');
    });
  });
}
