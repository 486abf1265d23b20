import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import {
  ApiextensionsV1Api,
  loadYaml,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';

/**
 * Makes sure the BareMetalHost CRD on the test cluster keeps unknown spec and status fields
 * (`x-kubernetes-preserve-unknown-fields`). Passing the CRD to the client as plain YAML loses those
 * keys (the client serialises its typed model, whose field is `xKubernetesPreserveUnknownFields`),
 * after which the API server prunes every status field. Re-applies crds/baremetalhost.yaml as a
 * typed object when needed; a no-op when the CRD is already right.
 */
export async function ensureBmhCrdKeepsUnknownFields(kubeConfig: KubeConfig): Promise<void> {
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const name = 'baremetalhosts.metal3.io';
  const current = await api.readCustomResourceDefinition({ name });
  const status = current.spec.versions[0]?.schema?.openAPIV3Schema?.properties?.status;
  if (status?.x_kubernetes_preserve_unknown_fields === true) return;
  const file = new URL('../../../crds/baremetalhost.yaml', import.meta.url);
  const crd = loadYaml<V1CustomResourceDefinition>(await readFile(file, 'utf8'));
  crd.metadata = { name, resourceVersion: current.metadata?.resourceVersion };
  await api.replaceCustomResourceDefinition({ name, body: crd });
  for (let i = 0; i < 100; i++) {
    const updated = await api.readCustomResourceDefinition({ name });
    const established = updated.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    if (established && updated.status?.acceptedNames?.kind === 'BareMetalHost') break;
    await delay(100);
  }
  // The API server picks up a new schema asynchronously; give it a moment.
  await delay(2000);
}
