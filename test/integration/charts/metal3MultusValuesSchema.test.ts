import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { chartValuesProblems } from '../../../api/charts/chartValues.js';
import { formatIssue } from '../../../api/issues.js';
import {
  chartsDir,
  HelmCommandError,
  helmTemplate,
  runHelmWithValues,
  type RenderedObject,
} from '../../support/helmCli.js';
import { useTestEnv } from '../../support/testEnv.js';

// The Metal3 and Multus charts' values.schema.json, as Helm applies it: values a user sets render,
// and a mistake stops `helm template` and `helm lint` at the same place `validate` reports it.
const env = useTestEnv();

type Chart = 'metal3' | 'multus';

interface Container {
  name: string;
  image: string;
  ports?: { name: string; containerPort: number }[];
}
interface Workload extends RenderedObject {
  spec: { template: { spec: { initContainers?: Container[]; containers: Container[] } } };
}

/** Helm's refusal of `values` (the text after "Error:"), or undefined when the chart renders. */
async function helmRefusal(chart: Chart, values: string): Promise<string | undefined> {
  try {
    await helmTemplate(env.helmPath, chart, { release: chart, namespace: 'metal3-system', values: [values] });
    return undefined;
  } catch (error) {
    if (!(error instanceof HelmCommandError)) throw error;
    return error.output;
  }
}

function containers(objects: RenderedObject[], kind: string, name: string): Container[] {
  const workload = objects.find((o) => o.kind === kind && o.metadata.name === name) as Workload | undefined;
  if (!workload) throw new Error(`no ${kind} ${name} rendered`);
  return [...(workload.spec.template.spec.initContainers ?? []), ...workload.spec.template.spec.containers];
}

describe("the Metal3 and Multus charts' values schemas, applied by Helm", () => {
  it('Metal3 renders the values a user sets: a registry with a port, a pinned digest, other ports, Ironic settings', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const values = {
      ironic: {
        image: { repository: 'registry.local:5000/metal3-io/ironic', tag: 'v32.0.1' },
        apiPort: 16385,
        extraConfig: { IRONIC_EXTERNAL_HTTP_URL: 'http://10.0.0.2:6180' },
        resources: { requests: { cpu: 0.5, memory: '512Mi' } },
      },
      ipaDownloader: { image: { tag: `latest@${digest}` } },
      bareMetalOperator: { watchNamespace: 'metal3-hosts' },
    };
    expect(chartValuesProblems('metal3', values)).toEqual([]);
    const objects = await helmTemplate(env.helmPath, 'metal3', {
      release: 'metal3',
      namespace: 'metal3-system',
      values: [stringify(values)],
    });
    const ironic = containers(objects, 'Deployment', 'metal3-ironic').map(({ name, image }) => [name, image]);
    expect(ironic).toEqual(
      expect.arrayContaining([
        ['ironic', 'registry.local:5000/metal3-io/ironic:v32.0.1'],
        ['ipa-downloader', `quay.io/metal3-io/ironic-ipa-downloader:latest@${digest}`],
      ]),
    );
    const config = objects.find((o) => o.kind === 'ConfigMap') as RenderedObject & { data: Record<string, string> };
    expect(config.data).toMatchObject({
      IRONIC_ENDPOINT: 'http://metal3-ironic.metal3-system.svc:16385/v1/',
      IRONIC_EXTERNAL_HTTP_URL: 'http://10.0.0.2:6180',
    });
  });

  it('Multus renders an image from another registry and its own CNI directories', async () => {
    const values = { image: { registry: 'registry.local:5000', tag: 'v4.2.0' }, cniBinDir: '/usr/libexec/cni' };
    expect(chartValuesProblems('multus', values)).toEqual([]);
    const objects = await helmTemplate(env.helmPath, 'multus', {
      release: 'multus',
      namespace: 'kube-system',
      values: [stringify(values)],
    });
    expect(containers(objects, 'DaemonSet', 'multus').map((c) => c.image)).toEqual([
      'registry.local:5000/k8snetworkplumbingwg/multus-cni:v4.2.0',
      'registry.local:5000/k8snetworkplumbingwg/multus-cni:v4.2.0',
    ]);
  });

  // Each mistake with what Helm says (its JSON pointer) and the path `validate` names.
  it.each<[name: string, chart: Chart, values: string, helmSays: string, validatePath: string]>([
    [
      'a misspelt key',
      'metal3',
      'ironic:\n  imag:\n    tag: x\n',
      "at '/ironic': additional properties 'imag' not allowed",
      'ironic.imag',
    ],
    [
      'a port as text',
      'metal3',
      'ironic:\n  httpPort: "6180"\n',
      "at '/ironic/httpPort': got string, want integer",
      'ironic.httpPort',
    ],
    [
      'a port out of range',
      'metal3',
      'ironic:\n  apiPort: 0\n',
      "at '/ironic/apiPort': minimum: got 0, want 1",
      'ironic.apiPort',
    ],
    [
      'a tag YAML reads as a number',
      'metal3',
      'bareMetalOperator:\n  image:\n    tag: 0.12\n',
      "at '/bareMetalOperator/image/tag': got number, want string",
      'bareMetalOperator.image.tag',
    ],
    [
      'an Ironic setting that cannot be a ConfigMap key',
      'metal3',
      'ironic:\n  extraConfig:\n    "A B": x\n',
      "invalid propertyName 'A B'",
      'ironic.extraConfig["A B"]',
    ],
    [
      'a quantity that is none',
      'metal3',
      'bareMetalOperator:\n  resources:\n    limits:\n      memory: 512 MB\n',
      "at '/bareMetalOperator/resources/limits/memory': '512 MB' does not match pattern",
      'bareMetalOperator.resources.limits.memory',
    ],
    [
      'a misspelt key',
      'multus',
      'image:\n  registy: ghcr.io\n',
      "at '/image': additional properties 'registy' not allowed",
      'image.registy',
    ],
    [
      'a namespace that is no name',
      'multus',
      'namespace: kube_system\n',
      "at '/namespace': 'kube_system' does not match pattern",
      'namespace',
    ],
    [
      'a relative host path',
      'multus',
      'cniBinDir: opt/cni/bin\n',
      "at '/cniBinDir': 'opt/cni/bin' does not match pattern",
      'cniBinDir',
    ],
    [
      'tolerations as a mapping',
      'multus',
      'tolerations:\n  operator: Exists\n',
      "at '/tolerations': got object, want array",
      'tolerations',
    ],
  ])(
    '%s in %s values stops helm template, where validate reports it',
    async (_name, chart, values, helmSays, validatePath) => {
      expect(await helmRefusal(chart, values)).toContain(helmSays);
      const reported = chartValuesProblems(chart, parse(values)).map((issue) => formatIssue(issue).split(': ')[0]);
      expect(reported).toEqual([validatePath]);
    },
  );

  it('removes a default set to null before checking, as validate does', async () => {
    const values = 'tolerations: null\nresources:\n  limits: null\n';
    expect(chartValuesProblems('multus', parse(values))).toEqual([]);
    const objects = await helmTemplate(env.helmPath, 'multus', {
      release: 'multus',
      namespace: 'kube-system',
      values: [values],
    });
    const daemonSet = objects.find((o) => o.kind === 'DaemonSet') as
      | (RenderedObject & {
          spec: { template: { spec: { tolerations?: unknown; containers: { resources?: unknown }[] } } };
        })
      | undefined;
    expect(daemonSet?.spec.template.spec.tolerations).toBeUndefined();
    expect(daemonSet?.spec.template.spec.containers[0]?.resources).toEqual({
      requests: { cpu: '100m', memory: '50Mi' },
    });
  });

  it.each<Chart>(['metal3', 'multus'])('helm lint of %s reports a value its schema refuses', async (chart) => {
    let output = '';
    try {
      const result = await runHelmWithValues(
        env.helmPath,
        ['lint', join(chartsDir, chart)],
        ['nodeSelector:\n  ssd: true\n'],
      );
      output = `${result.stdout}${result.stderr}`;
    } catch (error) {
      if (!(error instanceof HelmCommandError)) throw error;
      output = error.output;
    }
    expect(output).toMatch(/\[ERROR\] values\.yaml: - at '\/nodeSelector\/ssd': got boolean, want string/);
  });
});
