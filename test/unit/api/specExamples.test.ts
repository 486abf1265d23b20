import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NodeClaim } from '../../../api/nodeClaim.js';
import { Deploy, NodeProvider, NodeType, NodeTypes } from '../../../api/nodeProvider.js';
import { parseYamlMapping } from '../../../api/properties/documents.js';
import { resolveEffectiveProperties } from '../../../api/resolve/effectiveProperties.js';
import { selectNodeType } from '../../../api/resolve/nodeType.js';
import { resolveUserDataSource } from '../../../api/resolve/sources.js';
import { TemplateSecret, secretValue } from '../../../api/templateSecret.js';
import { validateDocument } from '../../../api/validateDocument.js';
import { documentNotes } from '../../../api/documentNotes.js';
import { validateYamlText } from '../../../api/validateText.js';
import { validateWith } from '../../../api/zodIssues.js';

const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const examplesDir = path.join(repoRoot, 'docs', 'spec-examples');

async function example(file: string): Promise<string> {
  return readFile(path.join(examplesDir, file), 'utf8');
}

async function fragment(file: string): Promise<Record<string, unknown>> {
  return parse(await example(file)) as Record<string, unknown>;
}

async function nodeProvider(file: string): Promise<NodeProvider> {
  return NodeProvider.parse(parse(await example(file)));
}

/** Validates a value as the part of a document it is, failing with the messages if it is not valid. */
function expectValid<T>(result: { ok: true; value: T } | { ok: false; issues: unknown }): T {
  expect(result).toMatchObject({ ok: true });
  if (!result.ok) throw new Error('unreachable');
  return result.value;
}

describe('the spec examples validate as written', () => {
  it.each([
    ['nodeprovider-full.yaml', 'NodeProvider'],
    ['nodeprovider-get-started.yaml', 'NodeProvider'],
    ['bmc-secret.yaml', 'Secret'],
    ['user-data-template-secret.yaml', 'Secret'],
  ])('%s is a valid %s', async (file, kind) => {
    const report = validateYamlText(await example(file), file);
    expect(report.problems).toEqual([]);
    expect(report.documents.map((d) => d.document.kind)).toEqual([kind]);
  });

  it("baremetalhost.yaml lacks only spec.online, which BMO's CRD requires, and validate says what to write", async () => {
    const report = validateYamlText(await example('baremetalhost.yaml'), 'baremetalhost.yaml');
    expect(report.documents).toEqual([]);
    expect(report.problems).toEqual([
      {
        file: 'baremetalhost.yaml',
        line: 8,
        issue: {
          path: ['spec', 'online'],
          message:
            'is required by BMO\'s CRD; write "online: false" (the provider powers the host on when it provisions it) or "online: true"',
        },
      },
    ]);
  });

  it.each(['nodeprovider-full.yaml', 'nodeprovider-get-started.yaml'])(
    '%s draws no warning, only the note on what clusterRef does here',
    async (file) => {
      const report = validateYamlText(await example(file), file);
      const notes = documentNotes(report.documents);
      expect(notes.map(({ severity, line, issue }) => [severity, line, issue.path])).toEqual([
        ['note', 8, ['spec', 'metal3', 'clusterRef']],
      ]);
      expect(notes[0]?.issue.message).toContain(
        'clusterRef.namespace "metal3-system" is the namespace there of the BareMetalHosts',
      );
      expect(notes[0]?.issue.message).toContain(
        'clusterRef.cluster "bare-metal-cluster" is not used to select a cluster',
      );
    },
  );

  it('reads the full NodeProvider field by field', async () => {
    const provider = await nodeProvider('nodeprovider-full.yaml');
    expect(provider.spec.metal3.clusterRef).toEqual({ cluster: 'bare-metal-cluster', namespace: 'metal3-system' });
    expect(parseYamlMapping(provider.spec.metal3.deploy?.dhcp?.helmValues ?? '')).toEqual({
      networkAttachmentDefinition: { vip: '192.168.100.2/24' },
    });
    const [nodeType] = provider.spec.metal3.nodeTypes;
    expect(nodeType?.resources).toEqual({ cpu: '32', memory: '128Gi' });
    expect(nodeType?.properties).toEqual({ 'vcluster.com/os-image': 'ubuntu-noble' });
  });

  const cni = (config: object): string => `${JSON.stringify(config, null, 2)}\n`;
  it.each([
    ['deploy-metal3-fragment.yaml', 'metal3', { ironic: { image: { tag: 'release-32.0' } } }],
    ['deploy-multus-fragment.yaml', 'multus', { namespace: 'kube-system' }],
    [
      'deploy-dhcp-bridge-fragment.yaml',
      'dhcp',
      {
        networkAttachmentDefinition: {
          vip: '192.168.100.2/24',
          config: cni({ cniVersion: '0.3.1', type: 'bridge', bridge: 'br0', isDefaultGateway: false }),
        },
      },
    ],
    [
      'deploy-dhcp-macvlan-fragment.yaml',
      'dhcp',
      {
        networkAttachmentDefinition: {
          vip: '10.0.0.2/24',
          config: cni({ cniVersion: '0.3.1', type: 'macvlan', master: 'eth0', mode: 'bridge' }),
        },
      },
    ],
    [
      'deploy-dhcp-hostnetwork-fragment.yaml',
      'dhcp',
      {
        hostNetwork: true,
        dhcp: { listenAddr: '$(SERVER_IP):67' },
        extraArgs: [
          '--inspector-extra-kernel-param=console=ttyS0,115200n8',
          '--installer-extra-kernel-param=console=ttyS0,115200n8',
        ],
      },
    ],
  ] as const)('%s is a valid spec.metal3.deploy', async (file, component, values) => {
    const deploy = expectValid(validateWith(Deploy, (await fragment(file)).deploy, ['spec', 'metal3', 'deploy']));
    expect(deploy[component]?.enabled).toBe(true);
    expect(parseYamlMapping(deploy[component]?.helmValues ?? '')).toEqual(values);
  });

  it('nodetypes-fragment.yaml is a valid spec.metal3.nodeTypes with an extended GPU resource', async () => {
    const nodeTypes = expectValid(validateWith(NodeTypes, (await fragment('nodetypes-fragment.yaml')).nodeTypes));
    expect(nodeTypes.map((t) => t.name)).toEqual(['gpu-server', 'general-compute']);
    expect(nodeTypes[0]?.resources?.['nvidia.com/gpu']).toBe('4');
    expect(nodeTypes[0]?.bareMetalHosts.selector.matchLabels).toEqual({ role: 'gpu', datacenter: 'us-east' });
  });

  it.each([
    ['user-data-template-annotation-fragment.yaml', 'template'],
    ['user-data-template-secret-reference-fragment.yaml', 'templateSecret'],
  ])('%s is valid as the annotations of a node type and selects the %s user-data source', async (file, kind) => {
    const provider = await nodeProvider('nodeprovider-full.yaml');
    const [base] = provider.spec.metal3.nodeTypes;
    const withAnnotations = { ...base, annotations: (await fragment(file)).annotations };
    const nodeType = expectValid(validateWith(NodeType, withAnnotations));
    const claim = NodeClaim.parse({
      apiVersion: 'management.loft.sh/v1',
      kind: 'NodeClaim',
      metadata: { name: 'worker-1', namespace: 'p-default' },
      spec: { providerRef: provider.metadata.name, typeRef: nodeType.name },
    });
    const source = resolveUserDataSource(resolveEffectiveProperties({ nodeType, nodeClaim: claim }));
    expect(source.kind).toBe(kind);
    if (source.kind === 'templateSecret') expect(source.secret).toEqual({ name: 'my-user-data-template' });
    if (source.kind === 'template') expect(source.template).toContain('{{- range .SSHKeys }}');
  });

  it('the user-data template Secret carries its label and a template that parses', async () => {
    const secret = TemplateSecret.parse(parse(await example('user-data-template-secret.yaml')));
    expect(secretValue(secret, 'template')).toMatch(/^#cloud-config\n/);
  });

  it("the vCluster fragment's nodeTypeSelector resolves to the compute-node type", async () => {
    const provider = await nodeProvider('nodeprovider-full.yaml');
    const vcluster = (await fragment('vcluster-private-nodes-fragment.yaml')) as {
      privateNodes: { autoNodes: { provider: string; static: { name: string; nodeTypeSelector: unknown }[] }[] };
    };
    const [autoNodes] = vcluster.privateNodes.autoNodes;
    const [pool] = autoNodes?.static ?? [];
    const result = validateDocument({
      apiVersion: 'management.loft.sh/v1',
      kind: 'NodeClaim',
      metadata: { name: `${pool?.name ?? ''}-1`, namespace: 'p-default' },
      spec: { providerRef: autoNodes?.provider, nodeTypeSelector: pool?.nodeTypeSelector },
    });
    if (!result.ok || result.document.kind !== 'NodeClaim') throw new Error(JSON.stringify(result));
    expect(selectNodeType(provider, result.document.value).name).toBe('compute-node');
  });
});
