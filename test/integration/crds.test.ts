import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { KIND_DEFINITIONS } from '../../api/crd/crdDefinitions.js';
import { API_GROUP } from '../../api/objectMeta.js';
import { validateDocument } from '../../api/validateDocument.js';
import { classifyApiError } from '../../k8s/apiErrors.js';
import { useTestEnv } from '../support/testEnv.js';

// The CRDs the devstack installed take the spec's documents as written and give them back unchanged.
const env = useTestEnv();
const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  spec: unknown;
}

function where(kind: string) {
  const definition = KIND_DEFINITIONS.find((d) => d.kind === kind);
  if (!definition) throw new Error(`no CRD for ${kind}`);
  const namespaced = definition.scope === 'Namespaced';
  return { group: API_GROUP, version: 'v1', plural: definition.plural, namespaced };
}

const created: { kind: string; name: string }[] = [];

/** Creates `object` (cluster-scoped names made unique to this run), reads it back, and returns both. */
async function roundTrip(object: KubeObject): Promise<{ sent: KubeObject; stored: KubeObject }> {
  const api = env.kubeConfig.makeApiClient(CustomObjectsApi);
  const { group, version, plural, namespaced } = where(object.kind);
  const sent = structuredClone(object);
  if (namespaced) sent.metadata.namespace = env.namespace;
  else sent.metadata.name = `${object.metadata.name}-${env.namespace}`;
  const name = sent.metadata.name;
  if (namespaced) {
    await api.createNamespacedCustomObject({ group, version, plural, namespace: env.namespace, body: sent });
    const stored = (await api.getNamespacedCustomObject({
      group,
      version,
      plural,
      namespace: env.namespace,
      name,
    })) as KubeObject;
    return { sent, stored };
  }
  await api.createClusterCustomObject({ group, version, plural, body: sent });
  created.push({ kind: object.kind, name });
  return { sent, stored: (await api.getClusterCustomObject({ group, version, plural, name })) as KubeObject };
}

afterAll(async () => {
  const api = env.kubeConfig.makeApiClient(CustomObjectsApi);
  for (const { kind, name } of created) {
    const { group, version, plural } = where(kind);
    await api.deleteClusterCustomObject({ group, version, plural, name });
  }
});

describe('CRDs on the devstack apiserver', () => {
  it("stores the spec's NodeProvider unchanged, and it still validates when read back", async () => {
    const text = await readFile(
      path.join(repoRoot, '..', 'shared', 'spec', 'examples', 'nodeprovider-full.yaml'),
      'utf8',
    );
    const { sent, stored } = await roundTrip(parse(text) as KubeObject);
    expect(stored.spec).toEqual(sent.spec);
    expect(validateDocument(stored)).toMatchObject({ ok: true });
  });

  it('stores a NodeClaim, OSImage, SSHKey and NodeEnvironment unchanged', async () => {
    const text = await readFile(path.join(repoRoot, 'test', 'fixtures', 'api', 'valid', 'catalogue.yaml'), 'utf8');
    const objects = parseAllDocuments(text).map((doc) => doc.toJS() as KubeObject);
    expect(objects.map((o) => o.kind).sort()).toEqual(['NodeClaim', 'NodeEnvironment', 'OSImage', 'SSHKey']);
    for (const object of objects) {
      const { sent, stored } = await roundTrip(object);
      expect(stored.spec).toEqual(sent.spec);
      expect(stored.metadata.annotations).toEqual(sent.metadata.annotations);
      expect(validateDocument(stored)).toMatchObject({ ok: true });
    }
  });

  it('rejects a NodeProvider whose fields have the wrong type', async () => {
    const api = env.kubeConfig.makeApiClient(CustomObjectsApi);
    const { group, version, plural } = where('NodeProvider');
    const body = {
      apiVersion: `${API_GROUP}/v1`,
      kind: 'NodeProvider',
      metadata: { name: `broken-${env.namespace}` },
      spec: { metal3: { clusterRef: { cluster: 'c', namespace: 'n' }, nodeTypes: 'compute-node' } },
    };
    const error: unknown = await api.createClusterCustomObject({ group, version, plural, body }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeDefined();
    expect(classifyApiError(error).kind).toBe('invalid');
  });
});
