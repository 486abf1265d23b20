import http from 'node:http';
import https from 'node:https';
import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';

/**
 * The one streaming forwarder both proxies use: it sends one request to a fixed upstream URL and
 * pipes the answer back without buffering it. It never follows redirects, drops hop-by-hop headers
 * in both directions, limits request (and optionally response) bodies, and aborts the upstream
 * request when the client goes away.
 */

/** Headers that describe one connection, not the message (RFC 9110 7.6.1), plus legacy proxy ones. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Copies the listed request headers (lower case) that are present, nothing else. */
export function pickHeaders(
  headers: http.IncomingHttpHeaders,
  allowed: readonly string[],
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of allowed) {
    const value = headers[name];
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/** Response headers minus hop-by-hop ones and any the upstream named in `Connection`. */
export function endToEndHeaders(headers: http.IncomingHttpHeaders): Record<string, string | string[]> {
  const named = new Set(
    (headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token !== ''),
  );
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

export type ForwardBody =
  | { kind: 'none' }
  | { kind: 'buffer'; data: Buffer }
  /** The client's request, streamed; refused with 413 once it passes `maxBytes`. */
  | { kind: 'stream'; source: http.IncomingMessage; maxBytes: number };

export interface ForwardRequest {
  /** The full upstream URL; the caller has decided it is allowed. */
  url: URL;
  method: string;
  headers: Record<string, string | string[]>;
  body: ForwardBody;
  /** 'refuse': a 3xx answer becomes 502 (the client must not be sent elsewhere); 'pass': returned as is. */
  redirects: 'pass' | 'refuse';
  /** TLS options for https upstreams (a pinned CA, or skipping verification). */
  tls?: Pick<https.RequestOptions, 'ca' | 'rejectUnauthorized'>;
  /** Gives up when the upstream is silent this long (connecting, answering or mid-body). */
  idleTimeoutMs: number;
  /** Cuts the answer off (after its headers went out) when its body passes this size. */
  maxResponseBytes?: number;
  /** Also keeps a copy of an answer body up to this size, returned in the outcome (a small JSON answer). */
  keepResponseBytes?: number;
}

export type ForwardOutcome =
  | { kind: 'forwarded'; status: number; bytes: number; kept?: Buffer }
  | { kind: 'upstream-error'; reason: string }
  | { kind: 'redirect-refused'; status: number; location: string }
  | { kind: 'body-too-large'; limit: number }
  | { kind: 'response-too-large'; limit: number }
  | { kind: 'client-aborted' };

class SizeLimit extends Transform {
  bytes = 0;
  private kept: Buffer[] | undefined;
  constructor(
    private readonly limit: number,
    private readonly onExceeded: () => void,
    private readonly keep = 0,
  ) {
    super();
    if (keep > 0) this.kept = [];
  }

  /** The whole body, when it was no larger than `keep`. */
  get keptBody(): Buffer | undefined {
    return this.kept === undefined ? undefined : Buffer.concat(this.kept);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      this.onExceeded();
      callback(new Error(`body exceeds ${this.limit} bytes`));
      return;
    }
    if (this.kept !== undefined) {
      if (this.bytes > this.keep) this.kept = undefined;
      else this.kept.push(chunk);
    }
    callback(null, chunk);
  }
}

function plainReply(res: http.ServerResponse, status: number, message: string): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = `${message}\n`;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * Forwards one request and writes the answer to `res`. Failures before the upstream answered become
 * a 502 (or 413 for a too-large body) with the reason in the body; the outcome says what happened.
 */
export function forwardHttp(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  request: ForwardRequest,
): Promise<ForwardOutcome> {
  return new Promise<ForwardOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: ForwardOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const { url, body } = request;
    if (body.kind === 'stream' && Number(req.headers['content-length'] ?? 0) > body.maxBytes) {
      // Refused before any upstream connection; the client must not keep sending on this connection.
      plainReply(res, 413, `request body of ${req.headers['content-length'] ?? ''} bytes exceeds ${body.maxBytes}`);
      finish({ kind: 'body-too-large', limit: body.maxBytes });
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string | string[] | number> = { ...request.headers };
    if (body.kind === 'buffer') headers['content-length'] = body.data.length;
    else if (body.kind === 'stream') {
      const length = req.headers['content-length'];
      if (length !== undefined) headers['content-length'] = length;
      else if (req.headers['transfer-encoding'] !== undefined) headers['transfer-encoding'] = 'chunked';
    }
    const upstream = client.request({
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers,
      // One connection per request: nothing of one client's exchange can leak into another's.
      agent: false,
      ...(url.protocol === 'https:' ? request.tls : {}),
    });
    upstream.setTimeout(request.idleTimeoutMs, () => {
      upstream.destroy(new Error(`upstream silent for ${request.idleTimeoutMs} ms`));
    });

    // Set before the client's side closes, so that closing is not mistaken for the client leaving.
    let answerFailed = false;
    let tooLarge = false;
    // The client leaving before the answer is complete aborts the upstream request.
    res.on('close', () => {
      if (res.writableFinished || answerFailed || tooLarge) return;
      upstream.destroy();
      finish({ kind: 'client-aborted' });
    });

    upstream.on('error', (error) => {
      if (settled) return;
      plainReply(res, 502, `upstream request failed: ${describe(error)}`);
      finish({ kind: 'upstream-error', reason: describe(error) });
    });

    upstream.on('response', (answer) => {
      const status = answer.statusCode ?? 502;
      // 304 Not Modified is an answer, not a redirect.
      if (request.redirects === 'refuse' && status >= 300 && status < 400 && status !== 304) {
        answer.resume();
        upstream.destroy();
        const location = answer.headers.location ?? '';
        plainReply(res, 502, `upstream answered ${status} (a redirect); redirects are neither followed nor passed on`);
        finish({ kind: 'redirect-refused', status, location });
        return;
      }
      answer.on('aborted', () => {
        answerFailed = true;
      });
      answer.on('error', () => {
        answerFailed = true;
      });
      res.writeHead(status, endToEndHeaders(answer.headers));
      if (request.method === 'HEAD') {
        answer.resume();
        res.end();
        finish({ kind: 'forwarded', status, bytes: 0 });
        return;
      }
      const limit = new SizeLimit(
        request.maxResponseBytes ?? Number.POSITIVE_INFINITY,
        () => {
          tooLarge = true;
        },
        request.keepResponseBytes,
      );
      pipeline(answer, limit, res, (error) => {
        if (!error) {
          const kept = limit.keptBody;
          finish({ kind: 'forwarded', status, bytes: limit.bytes, ...(kept !== undefined ? { kept } : {}) });
          return;
        }
        upstream.destroy();
        if (tooLarge) finish({ kind: 'response-too-large', limit: request.maxResponseBytes ?? 0 });
        else if (answerFailed) finish({ kind: 'upstream-error', reason: `answer cut off: ${describe(error)}` });
        else finish({ kind: 'client-aborted' });
      });
    });

    if (body.kind === 'none') upstream.end();
    else if (body.kind === 'buffer') upstream.end(body.data);
    else streamBody(body.source, body.maxBytes, upstream, res, finish);
  });
}

/** Copies the client's body to the upstream with backpressure, refusing it once it passes `maxBytes`. */
function streamBody(
  source: Readable,
  maxBytes: number,
  upstream: http.ClientRequest,
  res: http.ServerResponse,
  finish: (outcome: ForwardOutcome) => void,
): void {
  // Not pipeline(): destroying the client's request would take its socket, and with it the 413.
  let bytes = 0;
  let refused = false;
  source.on('data', (chunk: Buffer) => {
    if (refused) return;
    bytes += chunk.length;
    if (bytes > maxBytes) {
      refused = true;
      upstream.destroy();
      plainReply(res, 413, `request body exceeds ${maxBytes} bytes`);
      finish({ kind: 'body-too-large', limit: maxBytes });
      return;
    }
    if (!upstream.write(chunk)) {
      source.pause();
      upstream.once('drain', () => source.resume());
    }
  });
  source.on('end', () => {
    if (!refused) upstream.end();
  });
}
