import { readFile } from 'node:fs/promises';
import { KubernetesObjectApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { classifyApiError } from '../../k8s/apiErrors.js';

/** Creates each document of a YAML file, or replaces it when it exists: what `kubectl apply` does for the demo. */
export async function applyManifests(kubeConfig: KubeConfig, file: string, namespace?: string): Promise<string[]> {
  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  const applied: string[] = [];
  for (const document of parseAllDocuments(await readFile(file, 'utf8'))) {
    const object = document.toJS() as KubernetesObject | null;
    if (!object?.kind) continue;
    object.metadata ??= {};
    if (namespace && !object.metadata.namespace) object.metadata.namespace = namespace;
    try {
      await api.create(object);
    } catch (err) {
      if (classifyApiError(err).kind !== 'alreadyExists') throw err;
      const current = await api.read({
        apiVersion: object.apiVersion ?? '',
        kind: object.kind,
        metadata: { name: object.metadata.name ?? '', namespace: object.metadata.namespace ?? '' },
      });
      object.metadata.resourceVersion = current.metadata?.resourceVersion ?? '';
      await api.replace(object);
    }
    applied.push(`${object.kind}/${object.metadata.name ?? ''}`);
  }
  return applied;
}
