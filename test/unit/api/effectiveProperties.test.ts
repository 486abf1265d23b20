import { describe, expect, it } from 'vitest';
import { ConfigValidationError } from '../../../api/issues.js';
import { NodeClaim } from '../../../api/nodeClaim.js';
import { NodeEnvironment } from '../../../api/nodeEnvironment.js';
import { NodeProvider, NodeType } from '../../../api/nodeProvider.js';
import { OSImage } from '../../../api/osImage.js';
import {
  propertyValues,
  resolveEffectiveProperties,
  selectEnvironmentName,
} from '../../../api/resolve/effectiveProperties.js';
import { describeEffectiveOrigin, type EffectiveProperty } from '../../../api/resolve/origin.js';
import {
  provisioningSettings,
  resolveImage,
  resolveNetworkDataSource,
  resolveUserDataSource,
  sshKeyNames,
} from '../../../api/resolve/sources.js';

const CHECKSUM = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

function nodeType(properties: Record<string, string> = {}, annotations?: Record<string, string>): NodeType {
  return NodeType.parse({
    name: 'compute-node',
    bareMetalHosts: { selector: { matchLabels: { role: 'compute' } } },
    properties,
    ...(annotations && { annotations }),
  });
}

function provider(properties?: Record<string, string>, nodeTypes = [nodeType()]): NodeProvider {
  return NodeProvider.parse({
    apiVersion: 'management.loft.sh/v1',
    kind: 'NodeProvider',
    metadata: { name: 'metal3-provider' },
    spec: {
      ...(properties && { properties }),
      metal3: { clusterRef: { cluster: 'c', namespace: 'metal3-system' }, nodeTypes },
    },
  });
}

function claim(spec: Record<string, unknown> = {}, annotations?: Record<string, string>): NodeClaim {
  return NodeClaim.parse({
    apiVersion: 'management.loft.sh/v1',
    kind: 'NodeClaim',
    metadata: { name: 'worker-1', namespace: 'p-default', ...(annotations && { annotations }) },
    spec: { providerRef: 'metal3-provider', typeRef: 'compute-node', ...spec },
  });
}

function environment(name: string, properties: Record<string, string>): NodeEnvironment {
  return NodeEnvironment.parse({
    apiVersion: 'management.loft.sh/v1',
    kind: 'NodeEnvironment',
    metadata: { name },
    spec: { properties },
  });
}

function osImage(properties: Record<string, string>): OSImage {
  return OSImage.parse({
    apiVersion: 'management.loft.sh/v1',
    kind: 'OSImage',
    metadata: { name: 'ubuntu-noble' },
    spec: { properties },
  });
}

describe('effective properties', () => {
  it('lets the NodeClaim override the node type, then merges the NodeEnvironment in, recording origins', () => {
    const type = nodeType({ 'vcluster.com/os-image': 'ubuntu-noble', 'metal3.vcluster.com/dns-servers': '1.1.1.1' });
    const request = claim({
      properties: { 'metal3.vcluster.com/dns-servers': '8.8.8.8', 'vcluster.com/network-environment': 'dc1' },
    });
    const env = environment('dc1', {
      'metal3.vcluster.com/network-cidr': '10.0.0.1/24',
      'metal3.vcluster.com/dns-servers': '10.0.0.53',
    });
    expect(selectEnvironmentName(type, request)).toBe('dc1');
    const effective = resolveEffectiveProperties({ nodeType: type, nodeClaim: request, environment: env });
    expect(effective['vcluster.com/os-image']).toEqual({
      value: 'ubuntu-noble',
      origin: { kind: 'nodeType', name: 'compute-node', field: 'properties' },
    });
    expect(effective['metal3.vcluster.com/dns-servers']).toEqual({
      value: '10.0.0.53',
      origin: { kind: 'nodeEnvironment', name: 'dc1' },
      overrides: { value: '8.8.8.8', origin: { kind: 'nodeClaim', name: 'p-default/worker-1', field: 'properties' } },
    });
    expect(propertyValues(effective)['vcluster.com/network-environment']).toBe('dc1');
  });

  it('merges NodeProvider < node type < NodeClaim, each key from the most specific object that sets it', () => {
    const keys = {
      provider: 'metal3-provider.io/provision-timeout',
      type: 'metal3.vcluster.com/dns-servers',
      claim: 'metal3-provider.io/ntp-servers',
    };
    const owner = provider({ [keys.provider]: '30m', [keys.type]: '1.1.1.1', [keys.claim]: '10.0.0.1' });
    const type = nodeType({ [keys.type]: '8.8.8.8', [keys.claim]: '10.0.0.2' });
    const request = claim({ properties: { [keys.claim]: '10.0.0.3' } });
    const effective = resolveEffectiveProperties({ provider: owner, nodeType: type, nodeClaim: request });
    expect(effective[keys.provider]).toEqual({
      value: '30m',
      origin: { kind: 'nodeProvider', name: 'metal3-provider' },
    });
    expect(effective[keys.type]).toEqual({
      value: '8.8.8.8',
      origin: { kind: 'nodeType', name: 'compute-node', field: 'properties' },
    });
    expect(effective[keys.claim]).toEqual({
      value: '10.0.0.3',
      origin: { kind: 'nodeClaim', name: 'p-default/worker-1', field: 'properties' },
    });
    expect(provisioningSettings(effective).timeoutMs).toBe(30 * 60_000);
    const fromProvider = effective[keys.provider] as EffectiveProperty;
    expect(describeEffectiveOrigin(fromProvider)).toBe('NodeProvider "metal3-provider" properties');
  });

  it('lets node type annotations override NodeProvider properties too', () => {
    const owner = provider({ 'vcluster.com/ssh-keys': 'admin' });
    const type = nodeType({}, { 'vcluster.com/ssh-keys': 'ops' });
    const effective = resolveEffectiveProperties({ provider: owner, nodeType: type, nodeClaim: claim() });
    expect(sshKeyNames(effective)).toEqual(['ops']);
  });

  it('chooses the NodeEnvironment from a NodeProvider property, as the spec resolves it from the merged properties', () => {
    const owner = provider({ 'vcluster.com/network-environment': 'dc1' });
    expect(selectEnvironmentName(nodeType(), claim(), owner)).toBe('dc1');
    expect(selectEnvironmentName(nodeType(), claim({ environmentRef: { name: 'dc2' } }), owner)).toBe('dc1');
    expect(selectEnvironmentName(nodeType(), claim(), provider())).toBeUndefined();
    const env = environment('dc1', { 'metal3.vcluster.com/network-cidr': '10.0.0.1/24' });
    const effective = resolveEffectiveProperties({
      provider: owner,
      nodeType: nodeType(),
      nodeClaim: claim(),
      environment: env,
    });
    expect(effective['metal3.vcluster.com/network-cidr']?.origin).toEqual({ kind: 'nodeEnvironment', name: 'dc1' });
    expect(() => resolveEffectiveProperties({ provider: owner, nodeType: nodeType(), nodeClaim: claim() })).toThrow(
      'NodeEnvironment "dc1" does not exist',
    );
  });

  it('merges the NodeEnvironment over everything and records only the claim value it replaced', () => {
    const key = 'metal3.vcluster.com/dns-servers';
    const env = environment('dc1', { [key]: '10.0.0.53' });
    const over = (type: NodeType, request: NodeClaim, owner = provider()) =>
      resolveEffectiveProperties({ provider: owner, nodeType: type, nodeClaim: request, environment: env })[
        key
      ] as EffectiveProperty;
    const withEnv = (spec: Record<string, unknown> = {}, annotations?: Record<string, string>) =>
      claim({ environmentRef: { name: 'dc1' }, ...spec }, annotations);
    // Over the provider and the node type: expected of the layer merged last, not noted.
    expect(over(nodeType(), withEnv(), provider({ [key]: '1.1.1.1' }))).toEqual({
      value: '10.0.0.53',
      origin: { kind: 'nodeEnvironment', name: 'dc1' },
    });
    expect(over(nodeType({ [key]: '1.1.1.1' }), withEnv()).overrides).toBeUndefined();
    // The same value is no override.
    expect(over(nodeType(), withEnv({ properties: { [key]: '10.0.0.53' } })).overrides).toBeUndefined();
    // A claim annotation is the claim's own value too.
    const replaced = over(nodeType(), withEnv({}, { [key]: '9.9.9.9' }));
    expect(replaced.overrides).toEqual({
      value: '9.9.9.9',
      origin: { kind: 'nodeClaim', name: 'p-default/worker-1', field: 'annotations' },
    });
    expect(describeEffectiveOrigin(replaced)).toBe(
      'NodeEnvironment "dc1" (overrides "9.9.9.9" set in NodeClaim "p-default/worker-1" annotations)',
    );
    // A value that may be secret is described by its size only.
    expect(describeEffectiveOrigin(replaced, false)).toBe(
      'NodeEnvironment "dc1" (overrides a value of 7 characters set in NodeClaim "p-default/worker-1" annotations)',
    );
  });

  it('accepts on a NodeProvider every key a node type takes, and no key about one Machine', () => {
    const parsed = (properties: Record<string, string>) =>
      NodeProvider.safeParse({
        apiVersion: 'management.loft.sh/v1',
        kind: 'NodeProvider',
        metadata: { name: 'p' },
        spec: { properties, metal3: { clusterRef: { cluster: 'c', namespace: 'n' }, nodeTypes: [nodeType()] } },
      });
    expect(parsed({ 'vcluster.com/os-image': 'ubuntu-noble', 'vcluster.com/ssh-keys': 'a,b' }).success).toBe(true);
    const serverName = parsed({ 'metal3.vcluster.com/server-name': 'server-01' });
    expect(serverName.success).toBe(false);
    expect(serverName.error?.issues[0]).toMatchObject({
      path: ['spec', 'properties', 'metal3.vcluster.com/server-name'],
      message: 'metal3.vcluster.com/server-name may only be set on a NodeClaim, not on a NodeProvider',
    });
    expect(parsed({ 'metal3.vcluster.com/image-ur': 'x' }).error?.issues[0]?.message).toContain('did you mean');
  });

  it('reads annotations of node types and NodeClaims like properties', () => {
    const type = nodeType({}, { 'vcluster.com/user-data-template-secret': 'my-user-data-template' });
    const request = claim({}, { 'metal3.vcluster.com/server-name': 'server-01' });
    const effective = resolveEffectiveProperties({ nodeType: type, nodeClaim: request });
    expect(effective['metal3.vcluster.com/server-name']?.origin).toEqual({
      kind: 'nodeClaim',
      name: 'p-default/worker-1',
      field: 'annotations',
    });
    expect(provisioningSettings(effective)).toEqual({ attempts: 2, timeoutMs: 3_600_000, serverName: 'server-01' });
  });

  it("leaves out the annotations Kubernetes and kubectl write, such as kubectl apply's last-applied-configuration", () => {
    const request = claim(
      {},
      {
        'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"management.loft.sh/v1"}',
        'deployment.kubernetes.io/revision': '3',
        'k8s.io/owner': 'x',
        'metal3.vcluster.com/server-name': 'server-01',
        'example.com/kubernetes.io': 'kept',
      },
    );
    const effective = resolveEffectiveProperties({ nodeType: nodeType(), nodeClaim: request });
    expect(Object.keys(propertyValues(effective)).sort()).toEqual([
      'example.com/kubernetes.io',
      'metal3.vcluster.com/server-name',
    ]);
  });

  it('prefers vcluster.com/network-environment over spec.environmentRef', () => {
    const request = claim({
      environmentRef: { name: 'dc2' },
      properties: { 'vcluster.com/network-environment': 'dc1' },
    });
    expect(selectEnvironmentName(nodeType(), request)).toBe('dc1');
    expect(selectEnvironmentName(nodeType(), claim({ environmentRef: { name: 'dc2' } }))).toBe('dc2');
  });

  it('fails when the named NodeEnvironment was not found', () => {
    const request = claim({ environmentRef: { name: 'dc2' } });
    expect(() => resolveEffectiveProperties({ nodeType: nodeType(), nodeClaim: request })).toThrow(
      'NodeClaim "p-default/worker-1" is invalid:\n  NodeEnvironment "dc2" does not exist; create it or remove the reference',
    );
  });

  it('rejects an environment range outside the node type subnet, naming both origins', () => {
    const type = nodeType({
      'metal3.vcluster.com/network-cidr': '10.0.0.1/24',
      'vcluster.com/network-environment': 'dc1',
    });
    const env = environment('dc1', { 'metal3.vcluster.com/network-ip-range': '10.0.1.10-10.0.1.20' });
    expect(() => resolveEffectiveProperties({ nodeType: type, nodeClaim: claim(), environment: env })).toThrow(
      'range "10.0.1.10-10.0.1.20" of metal3.vcluster.com/network-ip-range (from NodeEnvironment "dc1") is not inside the hosts of metal3.vcluster.com/network-cidr "10.0.0.1/24" (from node type "compute-node" properties)',
    );
  });

  it('rejects a key set both as a NodeClaim property and annotation', () => {
    const request = NodeClaim.safeParse({
      apiVersion: 'management.loft.sh/v1',
      kind: 'NodeClaim',
      metadata: { name: 'w', annotations: { 'vcluster.com/ssh-keys': 'a' } },
      spec: { providerRef: 'p', typeRef: 't', properties: { 'vcluster.com/ssh-keys': 'b' } },
    });
    expect(request.success).toBe(false);
  });
});

describe('image resolution', () => {
  it('uses the OSImage named by vcluster.com/os-image and detects the checksum type', () => {
    const effective = resolveEffectiveProperties({
      nodeType: nodeType({ 'vcluster.com/os-image': 'ubuntu-noble' }),
      nodeClaim: claim(),
    });
    const image = osImage({
      'metal3.vcluster.com/image-url': 'https://images.example.com/noble.img',
      'metal3.vcluster.com/image-checksum': CHECKSUM,
    });
    expect(resolveImage(effective, image)).toEqual({
      url: 'https://images.example.com/noble.img',
      checksum: CHECKSUM,
      checksumType: 'md5',
      source: { kind: 'osImage', name: 'ubuntu-noble' },
    });
  });

  it('falls back to the direct image properties', () => {
    const effective = resolveEffectiveProperties({
      nodeType: nodeType({ 'metal3.vcluster.com/image-url': 'https://images.example.com/a.img' }),
      nodeClaim: claim({
        properties: { 'metal3.vcluster.com/image-checksum': 'https://images.example.com/SHA256SUMS' },
      }),
    });
    expect(resolveImage(effective, undefined)).toEqual({
      url: 'https://images.example.com/a.img',
      checksum: 'https://images.example.com/SHA256SUMS',
      source: { kind: 'properties' },
    });
  });

  it('names both ways to fix a missing image', () => {
    const effective = resolveEffectiveProperties({ nodeType: nodeType(), nodeClaim: claim() });
    expect(() => resolveImage(effective, undefined)).toThrow(
      'no OS image is configured; set vcluster.com/os-image to the name of an OSImage, or set metal3.vcluster.com/image-url and metal3.vcluster.com/image-checksum on the NodeProvider, node type or NodeClaim',
    );
  });

  it('says which layer named a missing OSImage', () => {
    const effective = resolveEffectiveProperties({
      nodeType: nodeType({ 'vcluster.com/os-image': 'rocky-9' }),
      nodeClaim: claim(),
    });
    expect(() => resolveImage(effective, undefined)).toThrow(ConfigValidationError);
    expect(() => resolveImage(effective, undefined)).toThrow(
      'OSImage "rocky-9" (named by vcluster.com/os-image in node type "compute-node" properties) does not exist',
    );
  });
});

describe('user-data and network-data sources, in the spec order', () => {
  const all = {
    'vcluster.com/user-data': 'packages: [htop]',
    'vcluster.com/user-data-template': '#cloud-config\nhostname: {{ .NodeClaim.Name }}',
    'vcluster.com/user-data-template-secret': 'loft/my-user-data-template',
    'metal3.vcluster.com/network-data': '{"links": []}',
    'vcluster.com/network-data-template': 'version: 2',
    'vcluster.com/network-data-template-secret': 'loft/net',
  };
  const resolve = (properties: Record<string, string>) =>
    resolveEffectiveProperties({ nodeType: nodeType(properties), nodeClaim: claim() });

  it('takes the first user-data source that is set', () => {
    const without = (key: string, from: Record<string, string>) =>
      Object.fromEntries(Object.entries(from).filter(([k]) => k !== key));
    expect(resolveUserDataSource(resolve(all)).kind).toBe('inline');
    const noInline = without('vcluster.com/user-data', all);
    expect(resolveUserDataSource(resolve(noInline)).kind).toBe('template');
    const secretOnly = without('vcluster.com/user-data-template', noInline);
    expect(resolveUserDataSource(resolve(secretOnly))).toMatchObject({
      kind: 'templateSecret',
      secret: { namespace: 'loft', name: 'my-user-data-template' },
    });
    expect(resolveUserDataSource(resolve({}))).toEqual({ kind: 'generated' });
  });

  it('takes the first network-data source that is set, else generates it from the network properties', () => {
    expect(resolveNetworkDataSource(resolve(all)).kind).toBe('inline');
    expect(
      resolveNetworkDataSource(resolve({ 'vcluster.com/network-data-template-secret': 'loft/net' })),
    ).toMatchObject({
      kind: 'templateSecret',
      secret: { namespace: 'loft', name: 'net' },
    });
    const generated = resolveNetworkDataSource(
      resolve({
        'metal3.vcluster.com/network-cidr': '10.0.0.1/24',
        'metal3.vcluster.com/network-ip-range': '10.0.0.20-10.0.0.30',
        'metal3.vcluster.com/dns-servers': '8.8.8.8,8.8.4.4',
        'metal3-provider.io/ntp-servers': '10.0.0.5',
        'metal3-provider.io/reserved-addresses': '10.0.0.25',
        'vcluster.com/ssh-keys': 'admin, ops',
      }),
    );
    expect(generated).toEqual({
      kind: 'generated',
      cidr: [{ family: 4, gateway: '10.0.0.1', prefixLength: 24, network: '10.0.0.0', last: '10.0.0.255' }],
      ranges: [{ start: '10.0.0.20', end: '10.0.0.30' }],
      dnsServers: ['8.8.8.8', '8.8.4.4'],
      ntpServers: ['10.0.0.5'],
      reservedAddresses: ['10.0.0.25'],
    });
    expect(sshKeyNames(resolve({ 'vcluster.com/ssh-keys': 'admin, ops' }))).toEqual(['admin', 'ops']);
  });
});
