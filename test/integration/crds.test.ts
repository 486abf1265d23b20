import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { BMH_GROUP, BMH_PLURAL, BMH_VERSION } from '../../api/bareMetalHost.js';
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
    const text = await readFile(path.join(repoRoot, 'docs', 'spec-examples', 'nodeprovider-full.yaml'), 'utf8');
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

describe("the BareMetalHost CRD on the devstack apiserver is BMO's", () => {
  const hosts = () => env.kubeConfig.makeApiClient(CustomObjectsApi);
  const where = () => ({ group: BMH_GROUP, version: BMH_VERSION, plural: BMH_PLURAL, namespace: env.namespace });

  async function walkthroughHost(name: string): Promise<KubeObject & { spec: Record<string, unknown> }> {
    const text = await readFile(path.join(repoRoot, 'examples', 'walkthrough', 'server-01-bmh.yaml'), 'utf8');
    const host = parse(text) as KubeObject & { spec: Record<string, unknown> };
    host.metadata = { ...host.metadata, name, namespace: env.namespace };
    return host;
  }

  /** The apiserver's message when it refuses `body` (a dry run, so nothing is stored), or undefined. */
  async function refusal(body: unknown, fieldValidation?: 'Strict'): Promise<string | undefined> {
    return hosts()
      .createNamespacedCustomObject({ ...where(), body, dryRun: 'All', ...(fieldValidation && { fieldValidation }) })
      .then(
        () => undefined,
        (err: unknown) => classifyApiError(err).message,
      );
  }

  it("accepts the walkthrough's host and defaults automatedCleaningMode to metadata", async () => {
    const host = await walkthroughHost('server-01');
    await hosts().createNamespacedCustomObject({ ...where(), body: host });
    const stored = (await hosts().getNamespacedCustomObject({ ...where(), name: 'server-01' })) as KubeObject;
    expect(stored.spec).toEqual({ ...host.spec, automatedCleaningMode: 'metadata' });
    expect(validateDocument(stored)).toMatchObject({ ok: true });
  });

  it('refuses a host without spec.online, as validate does', async () => {
    const host = await walkthroughHost('server-02');
    delete host.spec.online;
    expect(await refusal(host)).toContain('spec.online: Required value');
    expect(validateDocument(host)).toMatchObject({ ok: false, issues: [{ path: ['spec', 'online'] }] });
  });

  it.each([
    ['bootMACAddress', 'aa-bb-cc-dd-ee-01', 'spec.bootMACAddress: Invalid value'],
    ['bootMode', 'uefi', 'spec.bootMode: Unsupported value: "uefi"'],
    ['automatedCleaningMode', 'enabled', 'spec.automatedCleaningMode: Unsupported value: "enabled"'],
  ])('refuses spec.%s: %s, as validate does', async (key, value, message) => {
    const host = await walkthroughHost('server-03');
    host.spec[key] = value;
    expect(await refusal(host)).toContain(message);
    expect(validateDocument(host)).toMatchObject({ ok: false, issues: [{ path: ['spec', key] }] });
  });

  it('prunes a spec field BMO does not define, and refuses it under strict field validation as kubectl does', async () => {
    const host = await walkthroughHost('server-04');
    host.spec.powerOn = true;
    expect(await refusal(host, 'Strict')).toContain('unknown field "spec.powerOn"');
    await hosts().createNamespacedCustomObject({ ...where(), body: host });
    const stored = (await hosts().getNamespacedCustomObject({ ...where(), name: 'server-04' })) as KubeObject;
    expect(stored.spec).not.toHaveProperty('powerOn');
    expect(validateDocument(host)).toMatchObject({ ok: false, issues: [{ path: ['spec', 'powerOn'] }] });
  });
});
