import { stringify } from 'yaml';
import type { z } from 'zod';
import { BareMetalHostDocument } from '../bareMetalHostSchema.js';
import { API_GROUP } from '../objectMeta.js';
import { NodeClaim } from '../nodeClaim.js';
import { NodeEnvironment } from '../nodeEnvironment.js';
import { NodeProvider } from '../nodeProvider.js';
import { OSImage } from '../osImage.js';
import { SSHKey } from '../sshKey.js';
import { toStructuralSchema, type StructuralSchema } from './structuralSchema.js';

interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'date' | 'integer';
  readonly jsonPath: string;
  readonly description?: string;
  /** 0 (default) shows the column in `kubectl get`; higher only with `-o wide`. */
  readonly priority?: number;
}

interface KindDefinition {
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Cluster' | 'Namespaced';
  readonly schema: z.ZodObject | z.ZodType;
  readonly columns: readonly PrinterColumn[];
  /** File name under crds/. */
  readonly file: string;
  /** The API group and version; the provider's own (management.loft.sh/v1) when unset. */
  readonly group?: string;
  readonly version?: string;
  readonly shortNames?: readonly string[];
  /**
   * Carry zod's checks (patterns, lengths, bounds, formats) into the CRD. BareMetalHost's are BMO's
   * and its CRD enforces them; the provider's own kinds keep theirs in zod, where `validate` and the
   * provider explain them, and their CRDs check shapes, types and enums.
   */
  readonly apiserverChecks?: boolean;
  /** Paths from the repository root of further copies of the file (the Metal3 chart's CRDs). */
  readonly copies?: readonly string[];
}

const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const DISPLAY_NAME: PrinterColumn = { name: 'Display Name', type: 'string', jsonPath: '.spec.displayName' };

export const KIND_DEFINITIONS: readonly KindDefinition[] = [
  {
    kind: 'NodeProvider',
    plural: 'nodeproviders',
    scope: 'Cluster',
    schema: NodeProvider,
    file: 'nodeprovider.yaml',
    columns: [
      DISPLAY_NAME,
      { name: 'Cluster', type: 'string', jsonPath: '.spec.metal3.clusterRef.cluster' },
      { name: 'Namespace', type: 'string', jsonPath: '.spec.metal3.clusterRef.namespace' },
      AGE,
    ],
  },
  {
    kind: 'NodeClaim',
    plural: 'nodeclaims',
    scope: 'Namespaced',
    schema: NodeClaim,
    file: 'nodeclaim.yaml',
    columns: [
      { name: 'Provider', type: 'string', jsonPath: '.spec.providerRef' },
      { name: 'Type', type: 'string', jsonPath: '.spec.typeRef' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Host', type: 'string', jsonPath: '.status.bareMetalHost' },
      { name: 'Address', type: 'string', jsonPath: '.status.address' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      AGE,
      { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].reason', priority: 1 },
    ],
  },
  {
    kind: 'OSImage',
    plural: 'osimages',
    scope: 'Cluster',
    schema: OSImage,
    file: 'osimage.yaml',
    columns: [DISPLAY_NAME, AGE],
  },
  {
    kind: 'SSHKey',
    plural: 'sshkeys',
    scope: 'Cluster',
    schema: SSHKey,
    file: 'sshkey.yaml',
    columns: [DISPLAY_NAME, AGE],
  },
  {
    kind: 'NodeEnvironment',
    plural: 'nodeenvironments',
    scope: 'Cluster',
    schema: NodeEnvironment,
    file: 'nodeenvironment.yaml',
    columns: [DISPLAY_NAME, AGE],
  },
  {
    kind: 'BareMetalHost',
    plural: 'baremetalhosts',
    scope: 'Namespaced',
    schema: BareMetalHostDocument,
    file: 'baremetalhost.yaml',
    group: 'metal3.io',
    version: 'v1alpha1',
    shortNames: ['bmh', 'bmhost'],
    apiserverChecks: true,
    // The chart installs BMO, so a fresh cluster gets BMO's API from it; the devstack installs crds/.
    copies: ['charts/metal3/crds/baremetalhost.yaml'],
    // BMO's columns, so `kubectl get bmh` reads the same on the devstack as on a cluster running BMO.
    columns: [
      {
        name: 'Status',
        type: 'string',
        jsonPath: '.status.operationalStatus',
        description: 'Operational status',
        priority: 1,
      },
      { name: 'State', type: 'string', jsonPath: '.status.provisioning.state', description: 'Provisioning state' },
      { name: 'Consumer', type: 'string', jsonPath: '.spec.consumerRef.name', description: 'What holds the host' },
      { name: 'BMC', type: 'string', jsonPath: '.spec.bmc.address', description: 'BMC address', priority: 1 },
      { name: 'Online', type: 'string', jsonPath: '.spec.online', description: 'Whether the host should be on' },
      { name: 'Error', type: 'string', jsonPath: '.status.errorType', description: 'Kind of the last error' },
      AGE,
    ],
  },
];

function openApiSchema(definition: KindDefinition): StructuralSchema {
  const generated = toStructuralSchema(definition.schema, { checks: definition.apiserverChecks ?? false });
  const { apiVersion: _apiVersion, kind: _kind, metadata: _metadata, ...rest } = generated.properties ?? {};
  const required = (generated.required ?? []).filter((key) => key in rest);
  // apiVersion, kind and metadata belong to the apiserver; declaring more than their type is not allowed.
  return {
    type: 'object',
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...rest },
    ...(required.length > 0 && { required }),
  };
}

/** The CustomResourceDefinition of one kind, as a plain object. */
export function customResourceDefinition(definition: KindDefinition): Record<string, unknown> {
  const schema = openApiSchema(definition);
  const group = definition.group ?? API_GROUP;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${definition.plural}.${group}` },
    spec: {
      group,
      names: {
        kind: definition.kind,
        listKind: `${definition.kind}List`,
        plural: definition.plural,
        singular: definition.kind.toLowerCase(),
        ...(definition.shortNames && { shortNames: definition.shortNames }),
      },
      scope: definition.scope,
      versions: [
        {
          name: definition.version ?? 'v1',
          served: true,
          storage: true,
          ...(schema.properties?.status && { subresources: { status: {} } }),
          additionalPrinterColumns: definition.columns,
          schema: { openAPIV3Schema: schema },
        },
      ],
    },
  };
}

const HEADER = '# Generated from the zod schemas in api/ by `npx tsx api/crd/generateCrds.ts`; do not edit.\n';

/** The file text of one kind's CRD, exactly as committed under crds/. */
export function renderCrd(definition: KindDefinition): string {
  // Single quotes where quoting is needed, as prettier writes YAML.
  return HEADER + stringify(customResourceDefinition(definition), { lineWidth: 0, singleQuote: true });
}
