import { z } from 'zod';
import { API_GROUP_VERSION, ClusterObjectMeta, NamespaceName, ObjectName } from './objectMeta.js';
import { LabelSelector } from './labelSelector.js';
import { Resources } from './resources.js';
import { duplicateMessage, duplicatedKeys, propertyMap } from './properties/validateProperties.js';
import { parseYamlMapping } from './properties/documents.js';
import { PropertyValueError } from './properties/values.js';
import { chartValuesProblems } from './charts/chartValues.js';

/** Raw YAML handed to a Helm chart as values; it must parse to a mapping. */
export const HelmValues = z.string().superRefine((text, ctx) => {
  try {
    parseYamlMapping(text);
  } catch (error) {
    if (!(error instanceof PropertyValueError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

const component = {
  enabled: z.boolean().optional().describe('Deploy the component; when false, an existing deployment is used.'),
  helmValues: HelmValues.optional().describe('Raw YAML passed as values to the chart.'),
};

const ChartRepo = z.string().refine((url) => /^(oci|https?):\/\/\S+$/.test(url), {
  error: (issue) => `${JSON.stringify(issue.input)} is not a chart repository; use an oci://, https:// or http:// URL`,
});

/**
 * The user's values checked against the bundled chart's values.schema.json, as Helm will check them.
 * Not when the chart comes from elsewhere: another chart or version has its own schema.
 */
interface ComponentSettings {
  helmValues?: string | undefined;
  chartRepo?: string | undefined;
  chart?: string | undefined;
  version?: string | undefined;
}

function checkAgainstBundledChart(component: 'metal3' | 'dhcp' | 'multus') {
  return (settings: ComponentSettings, ctx: z.RefinementCtx): void => {
    const { helmValues, chartRepo, chart, version } = settings;
    if (helmValues === undefined || chartRepo !== undefined || chart !== undefined || version !== undefined) return;
    let values: Record<string, unknown>;
    try {
      values = parseYamlMapping(helmValues);
    } catch (error) {
      // HelmValues has said what is wrong with the text.
      if (error instanceof PropertyValueError) return;
      throw error;
    }
    for (const { path, message } of chartValuesProblems(component, values)) {
      ctx.addIssue({ code: 'custom', path: ['helmValues', ...path], message });
    }
  };
}

/** `spec.metal3.deploy`: the infrastructure the provider installs with Helm. */
export const Deploy = z.strictObject({
  metal3: z.strictObject(component).superRefine(checkAgainstBundledChart('metal3')).optional(),
  dhcp: z
    .strictObject({
      ...component,
      chartRepo: ChartRepo.optional(),
      chart: z.string().min(1).optional(),
      version: z.string().min(1).optional(),
    })
    .superRefine(checkAgainstBundledChart('dhcp'))
    .optional(),
  multus: z.strictObject(component).superRefine(checkAgainstBundledChart('multus')).optional(),
});
export type Deploy = z.infer<typeof Deploy>;

/** Defaults of the DHCP chart coordinates, as the spec lists them. */
export const DHCP_CHART_DEFAULTS = {
  chartRepo: 'oci://ghcr.io/loft-sh/charts',
  chart: 'vcluster-platform-dhcp-server',
};

export const NodeType = z
  .strictObject({
    name: ObjectName,
    displayName: z.string().optional(),
    resources: Resources.optional().describe('Least resources a BareMetalHost must have, as Kubernetes quantities.'),
    bareMetalHosts: z.strictObject({
      selector: LabelSelector.describe('Labels of the BareMetalHosts this node type may claim.'),
    }),
    properties: propertyMap('nodeType').optional().describe('Provisioning properties of Machines of this type.'),
    annotations: propertyMap('nodeType').optional().describe('Read like properties; a key may not be in both.'),
  })
  .superRefine((nodeType, ctx) => {
    for (const key of duplicatedKeys(nodeType.properties, nodeType.annotations)) {
      ctx.addIssue({ code: 'custom', path: ['annotations', key], message: duplicateMessage(key) });
    }
  });
export type NodeType = z.infer<typeof NodeType>;

export const NodeTypes = z.array(NodeType).superRefine((nodeTypes, ctx) => {
  const seen = new Map<string, number>();
  nodeTypes.forEach((nodeType, index) => {
    const first = seen.get(nodeType.name);
    if (first === undefined) seen.set(nodeType.name, index);
    else {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `node type ${JSON.stringify(nodeType.name)} is already defined at nodeTypes[${first}]; names must be unique`,
      });
    }
  });
});

export const Metal3Spec = z.strictObject({
  clusterRef: z
    .strictObject({ cluster: z.string().min(1), namespace: NamespaceName })
    .describe(
      "namespace: where the BareMetalHosts, Metal3 components and Machine snapshots live, in the cluster of the provider's kubeconfig; cluster: the platform's name for that cluster, not used to select one.",
    ),
  deploy: Deploy.optional().describe('Infrastructure the provider installs with Helm.'),
  nodeTypes: NodeTypes.min(1).describe('The kinds of bare-metal servers offered.'),
});
export type Metal3Spec = z.infer<typeof Metal3Spec>;

export const NodeProviderSpec = z.strictObject({
  displayName: z.string().optional(),
  properties: propertyMap('nodeProvider')
    .optional()
    .describe('Provisioning properties of every Machine of this provider; node types and NodeClaims override them.'),
  metal3: Metal3Spec,
});

export const NodeProvider = z.strictObject({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal('NodeProvider'),
  metadata: ClusterObjectMeta,
  spec: NodeProviderSpec,
  status: z.record(z.string(), z.unknown()).optional(),
});
export type NodeProvider = z.infer<typeof NodeProvider>;
