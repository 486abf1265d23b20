import { CoreV1Api, CustomObjectsApi, type V1Secret } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeClaim } from '../../api/nodeClaim.js';
import { API_GROUP, API_GROUP_VERSION } from '../../api/objectMeta.js';
import { PropertyKeys } from '../../api/properties/keys.js';
import { createBareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { useMachineStack } from '../support/machineStack.js';

/**
 * Attack: every property that names a Secret, written by a tenant (on its NodeClaim) or by the
 * administrator (on a node type), bare and qualified, aimed at another tenant's namespace and at the
 * platform namespace. Expected: a reference beyond the rule fails the Machine before any read, naming
 * the property and where it was set; a reference within it provisions with that Secret's content. A
 * Machine of another tenant provisions normally while the attacks run.
 */
const stack = useMachineStack({ hosts: 14, platformNamespace: () => `${stack.env.namespace}-platform` });
const core = () => stack.env.kubeConfig.makeApiClient(CoreV1Api);
const objects = () => stack.env.kubeConfig.makeApiClient(CustomObjectsApi);
const tenantA = () => stack.env.namespace;
const tenantB = () => `${stack.env.namespace}-b`;
const platform = () => `${stack.env.namespace}-platform`;

type Place = 'A' | 'B' | 'platform';
const namespaceOf = (place: Place) => ({ A: tenantA(), B: tenantB(), platform: platform() })[place];

/** Each property, the Secret it names, and where its content shows up when the reference is allowed. */
const PROPERTIES = [
  { key: PropertyKeys.joinSecret, short: 'join', bareAllowed: true, in: 'userData' },
  { key: PropertyKeys.userDataTemplateSecret, short: 'udt', bareAllowed: true, in: 'userData' },
  { key: PropertyKeys.networkDataTemplateSecret, short: 'ndt', bareAllowed: false, in: 'networkData' },
] as const;
type Property = (typeof PROPERTIES)[number];

/** The secret text each Secret carries: its place and property, so a leak says where it came from. */
const marker = (property: Property, place: Place) => `MARK-${property.short}-${place}`.toUpperCase();

function secretBody(property: Property, place: Place): V1Secret {
  const mark = marker(property, place);
  if (property.short === 'join')
    return { metadata: { name: property.short }, stringData: { joinCommand: `echo ${mark}` } };
  const template =
    property.short === 'udt'
      ? `#cloud-config\nwrite_files:\n  - path: /etc/mark\n    content: ${mark}\n`
      : `{"links": [], "networks": [], "services": [], "mark": "${mark}"}`;
  return {
    metadata: { name: property.short, labels: { 'vcluster.com/user-data-template-type': 'cloud-config' } },
    stringData: { template },
  };
}

interface Case {
  readonly property: Property;
  readonly who: 'tenant' | 'administrator';
  /** Undefined: a bare name. */
  readonly target: Place | undefined;
  /** Where the Secret is read when allowed. */
  readonly readFrom?: Place;
}

const CASES: readonly Case[] = PROPERTIES.flatMap((property) => [
  { property, who: 'tenant', target: 'B' },
  { property, who: 'tenant', target: 'platform' },
  { property, who: 'tenant', target: 'A', readFrom: 'A' },
  { property, who: 'tenant', target: undefined, ...(property.bareAllowed && { readFrom: 'platform' as const }) },
  { property, who: 'administrator', target: 'B' },
  { property, who: 'administrator', target: 'platform', readFrom: 'platform' },
  { property, who: 'administrator', target: undefined, ...(property.bareAllowed && { readFrom: 'platform' as const }) },
]);

const caseName = (c: Case) =>
  `${c.property.short}-${c.who === 'tenant' ? 't' : 'a'}-${c.target ?? 'bare'}`.toLowerCase();
const reference = (c: Case) =>
  c.target === undefined ? c.property.short : `${namespaceOf(c.target)}/${c.property.short}`;

/** One NodeProvider per administrator case: a provider with a malformed node type is refused whole. */
const adminProvider = (c: Case) => `${stack.provider}-${caseName(c)}`;
const ADMIN_CASES = CASES.filter((c) => c.who === 'administrator');

function claimFor(c: Case): NodeClaim {
  if (c.who === 'tenant') return stack.claim(caseName(c), { [c.property.key]: reference(c) });
  const claim = stack.claim(caseName(c));
  return { ...claim, spec: { ...claim.spec, providerRef: adminProvider(c), typeRef: caseName(c) } };
}

async function dataOf(host: string, which: 'userData' | 'networkData'): Promise<string> {
  const bmh = await createBareMetalHostApi(stack.env.kubeConfig, tenantA()).get(host);
  const name = bmh.spec[which]?.name ?? '';
  const secret = await core().readNamespacedSecret({ name, namespace: tenantA() });
  return Buffer.from(Object.values(secret.data ?? {})[0] ?? '', 'base64').toString();
}

beforeAll(async () => {
  for (const name of [tenantB(), platform()]) await core().createNamespace({ body: { metadata: { name } } });
  for (const place of ['A', 'B', 'platform'] as const) {
    for (const property of PROPERTIES) {
      await core().createNamespacedSecret({ namespace: namespaceOf(place), body: secretBody(property, place) });
    }
  }
  // The administrator's node types, the reference set on the node type.
  for (const c of ADMIN_CASES) {
    await objects().createClusterCustomObject({
      group: API_GROUP,
      version: 'v1',
      plural: 'nodeproviders',
      body: {
        apiVersion: API_GROUP_VERSION,
        kind: 'NodeProvider',
        metadata: { name: adminProvider(c) },
        spec: {
          metal3: {
            clusterRef: { cluster: 'devstack', namespace: tenantA() },
            nodeTypes: [
              {
                name: caseName(c),
                bareMetalHosts: { selector: { matchLabels: { role: 'compute' } } },
                properties: { 'vcluster.com/os-image': stack.osImage, [c.property.key]: reference(c) },
              },
            ],
          },
        },
      },
    });
  }
});

afterAll(async () => {
  for (const c of ADMIN_CASES) {
    const name = adminProvider(c);
    await objects().deleteClusterCustomObject({ group: API_GROUP, version: 'v1', plural: 'nodeproviders', name });
  }
  for (const name of [tenantB(), platform()]) await core().deleteNamespace({ name });
});

describe('Secret references by who set them', () => {
  it('refuses every reference beyond the rule before reading, and serves every one within it', async () => {
    // The bystander: another tenant's plain Machine, provisioned while the attacks run.
    const bystanderClaim = { ...stack.claim('bystander'), metadata: { name: 'bystander', namespace: tenantB() } };
    const bystander = await stack.client.provisionMachine(bystanderClaim);
    const handles = await Promise.all(CASES.map((c) => stack.client.provisionMachine(claimFor(c))));

    for (const c of CASES) {
      const name = caseName(c);
      if (c.readFrom === undefined) {
        const status = await stack.waitForPhase(name, 'Failed');
        const error = status.details ?? '';
        expect(status.host, name).toBeUndefined();
        expect(error, name).toContain(c.property.key);
        // A malformed value fails validation of the object that carries it; a forbidden one names its origin.
        const origin = c.who === 'tenant' ? `NodeClaim "${tenantA()}/${name}"` : `node type "${name}"`;
        const object = c.who === 'tenant' ? `NodeClaim "${tenantA()}/${name}"` : `NodeProvider "${adminProvider(c)}"`;
        expect(error, name).toContain(c.target === undefined ? object : origin);
        expect(error, name).toMatch(c.target === undefined ? /"<namespace>\/<name>"/ : /refused, nothing was read/);
        for (const place of ['A', 'B', 'platform'] as const)
          expect(error, name).not.toContain(marker(c.property, place));
      } else {
        const status = await stack.waitForPhase(name, 'Ready', 120_000);
        const data = await dataOf(status.host ?? '', c.property.in);
        expect(data, name).toContain(marker(c.property, c.readFrom));
      }
    }

    const machine = { namespace: tenantB(), name: 'bystander' };
    await expect
      .poll(async () => (await stack.client.getMachineStatus(machine))?.phase, { timeout: 120_000, interval: 250 })
      .toBe('Ready');
    for (const handle of [bystander, ...handles]) await handle.signal('release').catch(() => undefined);
    expect((await bystander.result()).phase).toBe('Released');
  });
});
