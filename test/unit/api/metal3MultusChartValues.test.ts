import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUNDLED_CHART_DIRS, readChartDefaults, readChartSchema } from '../../../api/charts/bundledCharts.js';
import { chartValuesProblems } from '../../../api/charts/chartValues.js';
import {
  UnsupportedSchemaError,
  assertSupported,
  schemaProblems,
  type JsonSchema,
} from '../../../api/charts/jsonSchema.js';
import { formatIssue } from '../../../api/issues.js';
import { parseYamlMapping } from '../../../api/properties/documents.js';
import { readSpecExample } from '../../support/specExamples.js';

const problems = (component: 'metal3' | 'multus', values: unknown): string[] =>
  chartValuesProblems(component, values).map(formatIssue);

async function specValues(file: string, component: 'metal3' | 'multus'): Promise<Record<string, unknown>> {
  const fragment = parse(await readSpecExample(file)) as { deploy: Record<string, { helmValues: string }> };
  return parseYamlMapping(fragment.deploy[component]?.helmValues ?? '');
}

describe("the Metal3 and Multus charts' values.schema.json", () => {
  it.each(['metal3', 'multus'] as const)("accepts the %s chart's own values.yaml", (component) => {
    expect(problems(component, readChartDefaults(BUNDLED_CHART_DIRS[component]))).toEqual([]);
  });

  it.each([
    ['deploy-metal3-fragment.yaml', 'metal3'],
    ['deploy-multus-fragment.yaml', 'multus'],
  ] as const)("accepts the spec's %s", async (file, component) => {
    expect(problems(component, await specValues(file, component))).toEqual([]);
  });

  it('accepts values a user sets for Metal3: another registry with a port, a pinned digest, Ironic settings', () => {
    expect(
      problems('metal3', {
        ironic: {
          image: { repository: 'registry.local:5000/metal3-io/ironic', tag: 'v32.0.1' },
          apiPort: 16385,
          extraConfig: { IRONIC_EXTERNAL_HTTP_URL: 'http://10.0.0.2:6180', IRONIC_INSPECTOR_VLAN_INTERFACES: 'all' },
          resources: { requests: { cpu: 0.5, memory: '512Mi' }, limits: { memory: '1Gi' } },
        },
        ipaDownloader: {
          image: { tag: `latest@sha256:${'a'.repeat(64)}` },
          extraEnv: [{ name: 'IPA_BASEURI', value: 'https://mirror.example.com/ipa' }],
        },
        bareMetalOperator: { watchNamespace: 'metal3-hosts', webhook: { enabled: true }, extraArgs: ['--dev'] },
        networkPolicy: { metricsFrom: [{ namespaceSelector: { matchLabels: { name: 'monitoring' } } }] },
        imagePullSecrets: [{ name: 'quay' }],
        nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
        affinity: { nodeAffinity: {} },
      }),
    ).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['a misspelt key', { ironic: { imag: { tag: 'x' } } }, 'ironic.imag: unknown field "imag"; did you mean "image"?'],
    [
      'a misspelt top-level key',
      { bareMetalOperater: {} },
      'bareMetalOperater: unknown field "bareMetalOperater"; did you mean "bareMetalOperator"?',
    ],
    [
      'a tag YAML reads as a number (1.10 would be deployed as 1.1)',
      { ironic: { image: { tag: 1.1 } } },
      'ironic.image.tag: expected a string, got 1.1; put it in quotes: "1.1"',
    ],
    ['a port given as text', { ironic: { apiPort: '6385' } }, 'ironic.apiPort: expected a whole number, got "6385"'],
    ['a port past 65535', { ironic: { httpPort: 70000 } }, 'ironic.httpPort: must be at most 65535, not 70000'],
    ['port 0', { ironic: { apiPort: 0 } }, 'ironic.apiPort: must be at least 1, not 0'],
    [
      'an image repository with capitals',
      { bareMetalOperator: { image: { repository: 'quay.io/Metal3-io/baremetal-operator' } } },
      'bareMetalOperator.image.repository: "quay.io/Metal3-io/baremetal-operator" is not an image repository (lowercase path, optionally after a registry host), e.g. quay.io/metal3-io/ironic',
    ],
    [
      'a tag with a colon',
      { ironic: { image: { tag: 'release:32' } } },
      'ironic.image.tag: "release:32" is not an image tag (letters, digits, _ . and -, up to 128, not starting with . or -), e.g. release-32.0',
    ],
    [
      'a watch namespace that is no namespace name',
      { bareMetalOperator: { watchNamespace: 'Metal3_Hosts' } },
      'bareMetalOperator.watchNamespace: "Metal3_Hosts" is not a namespace name (lowercase letters, digits and -, up to 63), or empty for the release namespace',
    ],
    [
      'an Ironic setting whose name cannot be a ConfigMap key',
      { ironic: { extraConfig: { 'IRONIC EXTERNAL URL': 'http://x' } } },
      'ironic.extraConfig["IRONIC EXTERNAL URL"]: "IRONIC EXTERNAL URL" is not a ConfigMap key (letters, digits, -, _ and .), e.g. IRONIC_EXTERNAL_HTTP_URL',
    ],
    [
      'an Ironic setting given as a mapping',
      { ironic: { extraConfig: { IRONIC_EXTERNAL_HTTP_URL: { url: 'http://x' } } } },
      'ironic.extraConfig.IRONIC_EXTERNAL_HTTP_URL: expected a string, a number or true or false, got a mapping',
    ],
    [
      'a resource quantity that is no quantity',
      { bareMetalOperator: { resources: { limits: { memory: '512 MB' } } } },
      'bareMetalOperator.resources.limits.memory: "512 MB" is not a Kubernetes quantity, e.g. 500m, 2 or 256Mi',
    ],
    [
      'an interface name longer than Linux allows',
      { ironic: { provisioningInterface: 'provisioning-network0' } },
      'ironic.provisioningInterface: "provisioning-network0" is not a network interface name (1 to 15 characters, no / or spaces), e.g. eth0',
    ],
    ['fastTrack as text', { ironic: { fastTrack: 'yes' } }, 'ironic.fastTrack: expected true or false, got "yes"'],
    [
      'a node selector value that is not text',
      { nodeSelector: { 'metal3.io/ironic': true } },
      'nodeSelector["metal3.io/ironic"]: expected a string, got true; put it in quotes: "true"',
    ],
  ])('Metal3 refuses %s, at its path in the values', (_name, values, message) => {
    expect(problems('metal3', values)).toContain(message);
  });

  it.each<[string, unknown, string]>([
    ['a misspelt key', { imag: { tag: 'x' } }, 'imag: unknown field "imag"; did you mean "image"?'],
    [
      'a misspelt image key',
      { image: { registy: 'quay.io' } },
      'image.registy: unknown field "registy"; did you mean "registry"?',
    ],
    [
      'a namespace that is no namespace name',
      { namespace: 'kube_system' },
      'namespace: "kube_system" is not a namespace name (lowercase letters, digits and -, up to 63), or empty for the release namespace',
    ],
    [
      'a tag written into the repository',
      { image: { repository: 'k8snetworkplumbingwg/multus-cni:v4.2.0' } },
      'image.repository: "k8snetworkplumbingwg/multus-cni:v4.2.0" is not an image repository (lowercase path, after image.registry), e.g. k8snetworkplumbingwg/multus-cni',
    ],
    [
      'a registry with a scheme',
      { image: { registry: 'https://ghcr.io' } },
      'image.registry: "https://ghcr.io" is not a registry host with an optional port, e.g. ghcr.io, or empty',
    ],
    [
      'a relative CNI directory',
      { cniBinDir: 'opt/cni/bin' },
      'cniBinDir: "opt/cni/bin" is not an absolute path on the node, without spaces, e.g. /opt/cni/bin',
    ],
    [
      'a CPU limit that is no quantity',
      { resources: { limits: { cpu: '100 m' } } },
      'resources.limits.cpu: "100 m" is not a Kubernetes quantity, e.g. 100m, 2 or 50Mi',
    ],
    [
      'tolerations as a mapping',
      { tolerations: { operator: 'Exists' } },
      'tolerations: expected a list, got a mapping',
    ],
  ])('Multus refuses %s, at its path in the values', (_name, values, message) => {
    expect(problems('multus', values)).toContain(message);
  });

  it('leaves open what reaches Kubernetes as it is: affinity, tolerations, extra resource names', () => {
    expect(
      problems('multus', {
        tolerations: [{ operator: 'Exists', tolerationSeconds: 30, effect: 'NoExecute' }],
        resources: { requests: { 'ephemeral-storage': '1Gi' }, claims: [{ name: 'gpu' }] },
      }),
    ).toEqual([]);
  });

  it('takes null as Helm does: it removes a default, and is checked like any value where the chart has none', () => {
    expect(problems('multus', { tolerations: null, resources: { limits: null } })).toEqual([]);
    expect(
      problems('metal3', { ironic: { resources: null, extraConfig: { IRONIC_EXTERNAL_HTTP_URL: null } } }),
    ).toEqual([
      'ironic.extraConfig.IRONIC_EXTERNAL_HTTP_URL: expected a string, a number or true or false, got an empty value',
    ]);
  });
});

describe('the values checker, for the keywords the charts use beyond types', () => {
  const port: JsonSchema = { type: 'integer', minimum: 1, maximum: 65535 };

  it('minimum and maximum bound numbers, inclusively, and ignore other types', () => {
    expect(schemaProblems(port, 1)).toEqual([]);
    expect(schemaProblems(port, 65535)).toEqual([]);
    expect(schemaProblems(port, 65536).map(formatIssue)).toEqual(['must be at most 65535, not 65536']);
    expect(schemaProblems({ minimum: 1 }, 'text')).toEqual([]);
  });

  it('propertyNames checks every key of a mapping, reported at the key', () => {
    const schema: JsonSchema = { type: 'object', propertyNames: { pattern: '^[A-Z_]+$', 'x-expected': 'upper case' } };
    expect(schemaProblems(schema, { GOOD: 1, bad: 2 }).map(formatIssue)).toEqual(['bad: "bad" is not upper case']);
    // Its own keywords are held to the same list as every other subschema's.
    expect(() => {
      assertSupported({ propertyNames: { format: 'hostname' } as never }, 'x/values.schema.json');
    }).toThrow(UnsupportedSchemaError);
  });

  it("every bundled chart's schema uses only keywords it checks", () => {
    for (const chart of Object.values(BUNDLED_CHART_DIRS)) expect(() => readChartSchema(chart)).not.toThrow();
  });
});
