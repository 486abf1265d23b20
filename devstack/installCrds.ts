import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  loadAllYaml,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { classifyApiError } from '../k8s/apiErrors.js';

/** Applies every CustomResourceDefinition in `crdDir` (create, or replace keeping resourceVersion) and waits until each is Established. */
export async function installCrds(kubeConfig: KubeConfig, crdDir: string): Promise<string[]> {
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const crds: V1CustomResourceDefinition[] = [];
  for (const file of (await readdir(crdDir)).filter((f) => f.endsWith('.yaml')).sort()) {
    // loadAllYaml maps `x-kubernetes-*` keys onto the client's typed model; plain YAML objects would lose them.
    for (const doc of loadAllYaml(
      await readFile(join(crdDir, file), 'utf8'),
    ) as (V1CustomResourceDefinition | null)[]) {
      if (doc?.kind === 'CustomResourceDefinition') crds.push(doc);
    }
  }
  for (const crd of crds) await applyCrd(api, crd);
  for (const crd of crds) await waitEstablished(api, crd.metadata?.name ?? '');
  return crds.map((crd) => crd.metadata?.name ?? '');
}

async function applyCrd(api: ApiextensionsV1Api, crd: V1CustomResourceDefinition): Promise<void> {
  const name = crd.metadata?.name ?? '';
  try {
    await api.createCustomResourceDefinition({ body: crd });
  } catch (err) {
    if (classifyApiError(err).kind !== 'alreadyExists') throw err;
    const current = await api.readCustomResourceDefinition({ name });
    crd.metadata = { name, resourceVersion: current.metadata?.resourceVersion };
    await api.replaceCustomResourceDefinition({ name, body: crd });
  }
}

async function waitEstablished(api: ApiextensionsV1Api, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const crd = await api.readCustomResourceDefinition({ name });
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`CustomResourceDefinition ${name} was not Established within 30s`);
}
