import http from 'node:http';
import https from 'node:https';
import { gunzip } from 'node:zlib';
import { ResponseContext, wrapHttpLibrary, type HttpLibrary, type RequestContext } from './kubernetesClient.js';

/**
 * An answer that stops coming for this long means a dead connection (a kept one can die silently):
 * the kube-apiserver itself ends a call after 60 s by default (`--request-timeout`).
 */
export const ANSWER_IDLE_MS = 90_000;

/**
 * client-node's API calls sent with node:http(s) itself, on the agent the kubeconfig chose.
 *
 * client-node sends them with node-fetch, which on a kept connection fails some chunked responses
 * (lists) with a false "Premature close": it takes the next request's listener on the reused socket
 * for an unread body. Answers are read whole (large ones arrive gzip-compressed, as for client-go).
 * A call fails, with the code apiErrors.ts counts as transient, when its connection closes mid-answer
 * or its answer stops coming for `answerIdleMs`, rather than waiting for ever and holding a connection
 * of the pool.
 */
export function createNodeHttpLibrary(answerIdleMs = ANSWER_IDLE_MS): HttpLibrary {
  return wrapHttpLibrary({ send: (request) => send(request, answerIdleMs) });
}

export const nodeHttpLibrary: HttpLibrary = createNodeHttpLibrary();

/** The same library for one call that asks for `accept` instead of what the generated client asks for. */
export function acceptingOnly(accept: string): HttpLibrary {
  return wrapHttpLibrary({
    send: (request) => {
      request.setHeaderParam('Accept', accept);
      return nodeHttpLibrary.send(request).toPromise();
    },
  });
}

function send(request: RequestContext, answerIdleMs: number): Promise<ResponseContext> {
  const url = new URL(request.getUrl());
  const body = requestBody(request);
  const headers: http.OutgoingHttpHeaders = { ...request.getHeaders() };
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  // As client-go does: the kube-apiserver then compresses large answers (lists) before sending them.
  headers['accept-encoding'] ??= 'gzip';
  const signal = request.getSignal();
  const options: https.RequestOptions = {
    method: request.getHttpMethod(),
    headers,
    ...(request.getAgent() && { agent: request.getAgent() }),
    ...(signal && { signal }),
  };
  const transport = url.protocol === 'https:' ? https : http;
  const what = `${options.method} ${url.pathname}`;
  return new Promise((resolve, reject) => {
    // Node's own errors ("aborted", "socket hang up") do not say which call failed; ours do.
    const fail = (err: Error & { code?: unknown }) => {
      const code = typeof err.code === 'string' ? err.code : undefined;
      reject(err instanceof ApiCallError ? err : new ApiCallError(`${what} failed: ${err.message}`, code, err));
    };
    const req = transport.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      // A connection closed mid-answer must fail the call, not leave it waiting (no-op once resolved).
      res.on('close', () => {
        if (!res.complete)
          reject(new ApiCallError(`the connection closed before the answer to ${what} was complete`, 'ECONNRESET'));
      });
      res.on('end', () => {
        const { 'content-encoding': encoding, ...rest } = res.headers;
        const answer = (data: Buffer) =>
          new ResponseContext(res.statusCode ?? 0, responseHeaders(rest), {
            text: () => Promise.resolve(data.toString('utf8')),
            binary: () => Promise.resolve(data),
          });
        const received = Buffer.concat(chunks);
        if (encoding !== 'gzip') {
          resolve(answer(received));
          return;
        }
        gunzip(received, (err, data) => {
          if (err)
            reject(
              new ApiCallError(`the compressed answer to ${what} does not decompress: ${err.message}`, undefined, err),
            );
          else resolve(answer(data));
        });
      });
    });
    req.setTimeout(answerIdleMs, () => {
      req.destroy(
        new ApiCallError(
          `no answer to ${what} for ${answerIdleMs / 1000} s; the connection is taken for dead`,
          'ETIMEDOUT',
        ),
      );
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** The generated clients send JSON as a string; form bodies are not used against the kube-apiserver. */
function requestBody(request: RequestContext): string | undefined {
  const body = request.getBody();
  if (body === undefined || typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new Error(`unsupported request body for ${request.getHttpMethod()} ${request.getUrl()}: form data`);
}

function responseHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** A call that got no whole answer; `code` is the network error's, which apiErrors.ts classifies. */
class ApiCallError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'ApiCallError';
  }
}
