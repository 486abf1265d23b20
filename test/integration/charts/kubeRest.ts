import { request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { RenderedObject } from '../../support/helmCli.js';

/**
 * Raw REST access for whatever kinds a chart renders. The typed clients serialize through their
 * models, which drop unknown fields; strict validation needs the object sent exactly as rendered.
 */

export class KubeRestError extends Error {
  constructor(
    readonly status: number,
    readonly what: string,
    readonly body: string,
  ) {
    super(`${what}: HTTP ${status}: ${body}`);
    this.name = 'KubeRestError';
  }
}

async function call(kubeConfig: KubeConfig, method: string, path: string, body?: unknown): Promise<unknown> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(path, cluster.server);
  const options: Parameters<typeof request>[1] = { method, headers: { accept: 'application/json' } };
  await kubeConfig.applyToHTTPSOptions(options);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(JSON.parse(text));
        else reject(new KubeRestError(status, `${method} ${url.pathname}`, text));
      });
    });
    req.on('error', reject);
    if (payload !== undefined) {
      req.setHeader('content-type', 'application/json');
      req.end(payload);
    } else req.end();
  });
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** The collection path of `object`'s kind, found through API discovery. */
async function collectionPath(kubeConfig: KubeConfig, object: RenderedObject): Promise<string> {
  const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const list = (await call(kubeConfig, 'GET', base)) as { resources: ApiResource[] };
  const resource = list.resources.find((r) => r.kind === object.kind && !r.name.includes('/'));
  if (!resource) throw new Error(`the API server does not serve ${object.kind} in ${object.apiVersion}`);
  if (!resource.namespaced) return `${base}/${resource.name}`;
  const namespace = object.metadata.namespace;
  if (!namespace) throw new Error(`${object.kind} ${object.metadata.name} is namespaced but has no namespace`);
  return `${base}/namespaces/${namespace}/${resource.name}`;
}

const STRICT_DRY_RUN = 'dryRun=All&fieldValidation=Strict';

/**
 * Has the API server validate `object` as a create (or, when it exists, a replace) without storing it:
 * schema, unknown or duplicate fields, and admission. Throws KubeRestError with the server's reasons.
 */
export async function strictDryRun(kubeConfig: KubeConfig, object: RenderedObject): Promise<void> {
  const collection = await collectionPath(kubeConfig, object);
  try {
    await call(kubeConfig, 'POST', `${collection}?${STRICT_DRY_RUN}`, object);
  } catch (error) {
    if (!(error instanceof KubeRestError) || error.status !== 409) throw error;
    const current = (await call(kubeConfig, 'GET', `${collection}/${object.metadata.name}`)) as RenderedObject;
    const replacement = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: current.metadata.resourceVersion },
    };
    await call(kubeConfig, 'PUT', `${collection}/${object.metadata.name}?${STRICT_DRY_RUN}`, replacement);
  }
}

/** Reads the stored counterpart of a rendered object. */
export async function readBack(kubeConfig: KubeConfig, object: RenderedObject): Promise<RenderedObject> {
  const collection = await collectionPath(kubeConfig, object);
  return (await call(kubeConfig, 'GET', `${collection}/${object.metadata.name}`)) as RenderedObject;
}
