import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { adminKubeconfig, generateApiserverCertificates } from '../../devstack/certificates.js';
import { loadKubeConfig } from '../../k8s/kubeClient.js';
import { SeededRandom } from './seededRandom.js';

/** Requests of one kind of read and the response bytes they brought (a watch's for as long as it ran). */
export interface ReadCount {
  requests: number;
  bytes: number;
}

export type ReadVerb = 'get' | 'list' | 'watch';

export interface KubeApiCounts {
  /** Gets and lists (not watches). */
  reads: number;
  watches: number;
  /** Reads by verb: a GET naming an object, a GET of a collection, a GET with `watch=true`. */
  readsByVerb: Record<ReadVerb, ReadCount>;
  /** Reads by verb and resource, e.g. `get secrets`, `list baremetalhosts`. */
  readsByResource: Record<string, ReadCount>;
  writes: number;
  /** Writes by resource, e.g. `baremetalhosts`, `secrets`, `baremetalhosts/status`. */
  writesByResource: Record<string, number>;
  /** Write responses the proxy made up instead of forwarding. */
  injected: number;
  /** Connections clients opened to the proxy (with `tls`, each one a handshake). */
  connections: number;
  /** Made-up responses by status code. */
  injectedByStatus: Record<string, number>;
  /** Writes the kube-apiserver answered 409 Conflict (a stale resourceVersion or a name taken), by resource. */
  conflictsByResource: Record<string, number>;
}

/** A proxy on loopback in front of a kube-apiserver: counts requests, injects faults. */
export interface KubeApiProxy {
  url: string;
  /** A kubeconfig that reaches the kube-apiserver through the proxy. */
  kubeconfigPath: string;
  counts(): KubeApiCounts;
  resetCounts(): void;
  /**
   * From now on answers this fraction of writes with one of `statuses` (409, 429 with Retry-After,
   * 500) as a Kubernetes Status, without forwarding them; with `resource` (e.g. `baremetalhosts`),
   * only writes of that resource. `rate: 0` stops it.
   */
  injectFaults(options: { rate: number; statuses: number[]; seed: number; resource?: string }): void;
  /** Resets every open connection and refuses new ones for `ms`, as a network partition would. */
  cut(ms: number): Promise<void>;
  close(): Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REASONS: Record<number, string> = { 409: 'Conflict', 429: 'TooManyRequests', 500: 'InternalError' };
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade']);

/** Headers to pass on: all but the hop-by-hop ones, which belong to each connection. */
function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** The resource, object name and subresource segments of a request path, below the namespace. */
function pathParts(path: string): string[] {
  const segments = (path.split('?')[0] ?? '').split('/').filter(Boolean);
  const rest = segments[0] === 'api' ? segments.slice(2) : segments.slice(3);
  return rest[0] === 'namespaces' && rest.length > 2 ? rest.slice(2) : rest;
}

/** `/api/v1/namespaces/x/secrets/y` → `secrets`; `/apis/g/v/namespaces/x/foos/y/status` → `foos/status`. */
export function resourceOf(path: string): string {
  const [resource = '', , subresource] = pathParts(path);
  return subresource ? `${resource}/${subresource}` : resource;
}

/** The verb of a GET: `watch` with `watch=true`, `get` when the path names an object, else `list`. */
export function readVerbOf(path: string): ReadVerb {
  if (/[?&]watch=(true|1)(&|$)/.test(path)) return 'watch';
  return pathParts(path).length > 1 ? 'get' : 'list';
}

function emptyCounts(): KubeApiCounts {
  return {
    reads: 0,
    watches: 0,
    readsByVerb: { get: { requests: 0, bytes: 0 }, list: { requests: 0, bytes: 0 }, watch: { requests: 0, bytes: 0 } },
    readsByResource: {},
    writes: 0,
    writesByResource: {},
    injected: 0,
    connections: 0,
    injectedByStatus: {},
    conflictsByResource: {},
  };
}

export interface KubeApiProxyOptions {
  /**
   * Serve HTTPS with client certificates, as the kube-apiserver does, so that clients pay for their
   * connections what they pay in production; plain HTTP when absent.
   */
  tls?: boolean;
}

export async function startKubeApiProxy(
  upstreamKubeconfigPath: string,
  dir: string,
  options: KubeApiProxyOptions = {},
): Promise<KubeApiProxy> {
  const upstreamConfig = loadKubeConfig(upstreamKubeconfigPath);
  const cluster = upstreamConfig.getCurrentCluster();
  if (!cluster) throw new Error(`${upstreamKubeconfigPath} names no current cluster`);
  const upstream = new URL(cluster.server);
  const tls: https.RequestOptions = {};
  await upstreamConfig.applyToHTTPSOptions(tls);
  const agent = new https.Agent({ ca: tls.ca, cert: tls.cert, key: tls.key, keepAlive: true });

  let counts = emptyCounts();
  let faults: { rate: number; statuses: number[]; random: SeededRandom; resource?: string } | undefined;
  let cutUntil = 0;
  const sockets = new Set<Socket>();
  // Into the counts of the moment: a watch open across a reset counts its later bytes in the new ones.
  const countRead = (verb: ReadVerb, resource: string, requests: number, bytes: number): void => {
    for (const count of [
      counts.readsByVerb[verb],
      (counts.readsByResource[`${verb} ${resource}`] ??= { requests: 0, bytes: 0 }),
    ]) {
      count.requests += requests;
      count.bytes += bytes;
    }
  };
  const upstreamRequests = new Set<http.ClientRequest>();

  const serverTls = options.tls ? await proxyCertificates(dir) : undefined;
  const handle: http.RequestListener = (req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const resource = resourceOf(url);
    const isWrite = WRITE_METHODS.has(method);
    if (isWrite) {
      counts.writes++;
      counts.writesByResource[resource] = (counts.writesByResource[resource] ?? 0) + 1;
      const aimed = faults?.resource === undefined || faults.resource === resource;
      if (faults && aimed && faults.random.next() < faults.rate) {
        const code = faults.random.pick(faults.statuses);
        counts.injected++;
        counts.injectedByStatus[code] = (counts.injectedByStatus[code] ?? 0) + 1;
        req.resume();
        req.on('end', () => {
          const reason = REASONS[code] ?? 'InternalError';
          const body = JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: `injected by the test proxy: ${reason}`,
            reason,
            code,
          });
          res.writeHead(code, { 'content-type': 'application/json', ...(code === 429 && { 'retry-after': '1' }) });
          res.end(body);
        });
        return;
      }
    }
    const verb = isWrite ? undefined : readVerbOf(url);
    if (verb === 'watch') counts.watches++;
    else if (verb) counts.reads++;
    if (verb) countRead(verb, resource, 1, 0);

    const headers = { ...endToEnd(req.headers), host: upstream.host };
    const forwarded = https.request(
      { host: upstream.hostname, port: upstream.port, method, path: url, headers, agent },
      (upstreamRes) => {
        if (isWrite && upstreamRes.statusCode === 409) {
          counts.conflictsByResource[resource] = (counts.conflictsByResource[resource] ?? 0) + 1;
        }
        res.writeHead(upstreamRes.statusCode ?? 502, endToEnd(upstreamRes.headers));
        // A watch sends its headers at once and its first event maybe much later; so must we.
        res.flushHeaders();
        // Bytes count when they arrive: a watch open across a reset counts its later events only.
        if (verb)
          upstreamRes.on('data', (chunk: Buffer) => {
            countRead(verb, resource, 0, chunk.length);
          });
        upstreamRes.pipe(res);
      },
    );
    upstreamRequests.add(forwarded);
    forwarded.on('close', () => upstreamRequests.delete(forwarded));
    forwarded.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    // The client went away (or was cut): stop the upstream request too, watches included.
    res.on('close', () => {
      if (!res.writableFinished) forwarded.destroy();
    });
    req.pipe(forwarded);
  };
  const server = serverTls
    ? https.createServer({ ...serverTls.server, requestCert: true, rejectUnauthorized: true }, handle)
    : http.createServer(handle);
  server.on('connection', (socket: Socket) => {
    counts.connections++;
    if (Date.now() < cutUntil) {
      socket.resetAndDestroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the proxy did not bind');
  const url = `${serverTls ? 'https' : 'http'}://127.0.0.1:${address.port}`;

  const kubeconfigPath = join(dir, 'kubeconfig-via-proxy');
  await writeFile(
    kubeconfigPath,
    serverTls
      ? await adminKubeconfig(url, serverTls.files)
      : stringify({
          apiVersion: 'v1',
          kind: 'Config',
          // client-node refuses plain HTTP unless told to skip TLS checks; the proxy is loopback only.
          clusters: [{ name: 'via-proxy', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
          users: [{ name: 'via-proxy', user: {} }],
          contexts: [{ name: 'via-proxy', context: { cluster: 'via-proxy', user: 'via-proxy' } }],
          'current-context': 'via-proxy',
        }),
    { mode: 0o600 },
  );

  return {
    url,
    kubeconfigPath,
    counts: () => structuredClone(counts),
    resetCounts: () => {
      counts = emptyCounts();
    },
    injectFaults: ({ rate, statuses, seed, resource }) => {
      faults =
        rate > 0 && statuses.length > 0
          ? { rate, statuses, random: new SeededRandom(seed), ...(resource && { resource }) }
          : undefined;
    },
    cut: async (ms) => {
      cutUntil = Date.now() + ms;
      for (const socket of sockets) socket.resetAndDestroy();
      for (const request of upstreamRequests) request.destroy();
      await new Promise((r) => setTimeout(r, ms));
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

/** A throwaway CA, serving certificate and client certificate for the proxy, as the devstack makes its own. */
async function proxyCertificates(dir: string) {
  const pki = join(dir, 'proxy-pki');
  await mkdir(pki, { recursive: true });
  const files = await generateApiserverCertificates(pki);
  const [ca, cert, key] = await Promise.all([files.caCert, files.serverCert, files.serverKey].map((f) => readFile(f)));
  return { files, server: { ca, cert, key } };
}
