import http from 'node:http';
import https from 'node:https';
import { ResponseContext, wrapHttpLibrary, type HttpLibrary, type RequestContext } from '@kubernetes/client-node';

/**
 * client-node's API calls sent with node:http(s) itself, on the agent the kubeconfig chose.
 *
 * client-node sends them with node-fetch, which on a kept connection fails some chunked responses
 * (lists) with a false "Premature close": it takes the next request's listener on the reused socket
 * for an unread body. Bodies are small JSON documents, read whole.
 */
export const nodeHttpLibrary: HttpLibrary = wrapHttpLibrary({ send });

function send(request: RequestContext): Promise<ResponseContext> {
  const url = new URL(request.getUrl());
  const body = requestBody(request);
  const headers: http.OutgoingHttpHeaders = { ...request.getHeaders() };
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  const signal = request.getSignal();
  const options: https.RequestOptions = {
    method: request.getHttpMethod(),
    headers,
    ...(request.getAgent() && { agent: request.getAgent() }),
    ...(signal && { signal }),
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      // A connection closed mid-answer must fail the call, not leave it waiting (no-op once resolved).
      res.on('close', () => {
        if (!res.complete)
          reject(new Error(`connection closed before the answer to ${options.method} ${url.pathname} was complete`));
      });
      res.on('end', () => {
        const data = Buffer.concat(chunks);
        resolve(
          new ResponseContext(res.statusCode ?? 0, responseHeaders(res.headers), {
            text: () => Promise.resolve(data.toString('utf8')),
            binary: () => Promise.resolve(data),
          }),
        );
      });
    });
    req.on('error', reject);
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
