import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { PayloadCodec } from '@temporalio/common';
import type { Logger } from 'pino';
import { closeHttp, listenHttp } from '../net/httpListener.js';
import { PayloadDecryptionError, UnknownCodecKeyError } from './aesGcmCodec.js';
import { CodecRequestError, codecResponse, parseCodecRequest } from './codecJson.js';

export interface CodecServerOptions {
  /** The codec of a namespace: payloads are bound to the namespace they were written in. */
  codecFor: (namespace: string) => PayloadCodec;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Web origins (the Temporal Web UI) allowed to call from a browser, e.g. http://localhost:8233. */
  corsOrigins?: readonly string[];
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Largest request body accepted (default 8 MiB). */
  maxBodyBytes?: number;
  logger?: Logger;
}

export interface RunningCodecServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
const ALLOWED_HEADERS = 'content-type, x-namespace, authorization';

/** An answer with a status; the message goes to the caller as `{"error": ...}`. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Temporal namespace names are at most 255 characters; the header is checked before any work. */
const MAX_NAMESPACE_LENGTH = 255;

/** The namespace the Web UI and `temporal` CLI send in X-Namespace; each payload is bound to its own. */
function namespaceOf(req: http.IncomingMessage): string {
  const header = req.headers['x-namespace'];
  const namespace = typeof header === 'string' ? header.trim() : '';
  if (namespace === '')
    throw new HttpError(400, 'the X-Namespace header is required: payloads are bound to their namespace');
  if (namespace.length > MAX_NAMESPACE_LENGTH)
    throw new HttpError(
      400,
      `the X-Namespace header is ${namespace.length} characters; at most ${MAX_NAMESPACE_LENGTH}`,
    );
  return namespace;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares digests so neither the content nor the length of the token leaks through timing. */
function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1].trim()), expected);
}

/** Beyond this much, a refused body is not even drained: the connection is dropped. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Reads the body up to `limit` bytes. A larger body is read to its end and thrown away before the
 * 413 goes out: a client still sending when the server closes gets a reset instead of the answer.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']) || 0;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = (): HttpError =>
      new HttpError(413, `request body is ${Math.max(size, declared)} bytes; the limit is ${limit}`);
    const drop = (): void => {
      reject(tooLarge());
      req.destroy();
    };
    if (declared > DRAIN_LIMIT_BYTES) {
      drop();
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) drop();
      else if (size <= limit && declared <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit || declared > limit) reject(tooLarge());
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/**
 * Temporal's codec server protocol over HTTP: POST /encode and /decode with `{"payloads": [...]}`, so
 * the Web UI and `temporal` CLI can show encrypted payloads. Browsers get CORS headers only for the
 * configured origins; with a token, every POST needs it.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const origins = new Set(options.corsOrigins ?? []);
  const expected = options.token === undefined ? undefined : digest(options.token);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<number> => {
    const origin = req.headers.origin;
    const allowedOrigin = origin !== undefined && origins.has(origin);
    if (allowedOrigin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    res.setHeader('Vary', 'Origin');
    if (origin !== undefined && !allowedOrigin) {
      throw new HttpError(403, `origin ${origin} is not allowed; start the codec server with --cors-origin ${origin}`);
    }
    const path = new URL(req.url ?? '/', 'http://codec').pathname;
    const operation = path === '/encode' ? 'encode' : path === '/decode' ? 'decode' : undefined;
    if (!operation) throw new HttpError(404, `no ${path} here; POST /encode or /decode`);
    if (req.method === 'OPTIONS') {
      // Preflight: the browser sends no credentials, so it is answered without the token.
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return 204;
    }
    if (req.method !== 'POST') throw new HttpError(405, `${path} takes POST`, { Allow: 'POST, OPTIONS' });
    if (expected && !tokenMatches(req.headers.authorization, expected)) {
      throw new HttpError(401, 'missing or wrong bearer token', { 'WWW-Authenticate': 'Bearer' });
    }
    // A new codec per request: cheap, and nothing grows with the namespaces callers name.
    const codec = options.codecFor(namespaceOf(req));
    const payloads = parseCodecRequest(await readBody(req, limit));
    const result = operation === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(codecResponse(result));
    return 200;
  };

  const server = http.createServer((req, res) => {
    handle(req, res)
      .then((status) => {
        options.logger?.debug({ method: req.method, path: req.url, status }, 'codec request');
      })
      .catch((error: unknown) => {
        const known =
          error instanceof HttpError
            ? error
            : error instanceof CodecRequestError ||
                error instanceof UnknownCodecKeyError ||
                error instanceof PayloadDecryptionError
              ? new HttpError(400, error.message)
              : undefined;
        if (known) options.logger?.info({ method: req.method, path: req.url, status: known.status }, known.message);
        else options.logger?.error({ err: error, method: req.method, path: req.url }, 'codec request failed');
        if (res.headersSent) {
          res.destroy();
          return;
        }
        // A client that sends more than we take is not one to keep a connection open for.
        if (known?.status === 413) res.setHeader('Connection', 'close');
        res.writeHead(known?.status ?? 500, { 'Content-Type': 'application/json', ...known?.headers });
        res.end(JSON.stringify({ error: known?.message ?? 'internal error' }));
      });
  });
  const port = await listenHttp(server, options.port, options.host);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => closeHttp(server),
  };
}
