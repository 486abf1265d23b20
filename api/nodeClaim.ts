import { z } from 'zod';
import { API_GROUP_VERSION, NamespacedObjectMeta, ObjectName } from './objectMeta.js';
import { PropertyKeys } from './properties/keys.js';
import { duplicateMessage, duplicatedKeys, propertyMap, propertyMapProblems } from './properties/validateProperties.js';

/** Said when a NodeClaim gives no way to choose its node type. */
export const NO_NODE_TYPE_MESSAGE = `names no node type; set typeRef, nodeTypeSelector or the property ${PropertyKeys.nodeType}`;

/** One requirement on a node type's properties, as vCluster's `nodeTypeSelector` writes it. */
export const NodeTypeRequirement = z.strictObject({ property: z.string().min(1), value: z.string() });
export type NodeTypeRequirement = z.infer<typeof NodeTypeRequirement>;

export const NodeClaimSpec = z
  .strictObject({
    /** The NodeProvider's name. */
    providerRef: ObjectName.describe('Name of the NodeProvider to provision from.'),
    /** The node type's name; or choose one by its properties with nodeTypeSelector. */
    typeRef: ObjectName.optional().describe('Name of the node type; or choose one with nodeTypeSelector.'),
    nodeTypeSelector: z
      .array(NodeTypeRequirement)
      .min(1)
      .optional()
      .describe('Chooses the first node type whose properties have every listed value.'),
    project: z.string().min(1).optional().describe('Project the Machine belongs to.'),
    properties: propertyMap('nodeClaim')
      .optional()
      .describe("Provisioning properties; override the NodeProvider's and the node type's, not the NodeEnvironment's."),
    environmentRef: z
      .strictObject({ name: ObjectName })
      .optional()
      .describe(
        'NodeEnvironment whose properties are merged in, unless vcluster.com/network-environment names another.',
      ),
  })
  .superRefine((spec, ctx) => {
    if (spec.typeRef !== undefined && spec.nodeTypeSelector !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodeTypeSelector'],
        message: 'set typeRef or nodeTypeSelector, not both',
      });
    }
  });

/** One condition, as Kubernetes conventions write them (`kubectl wait --for=condition=Ready`). */
export const NodeClaimCondition = z.looseObject({
  type: z.string().min(1),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().optional().describe('One CamelCase word saying why.'),
  message: z.string().optional().describe('What is happening, in words; what to do when something is wrong.'),
  lastTransitionTime: z.string().optional().describe('When status last changed (RFC 3339).'),
  observedGeneration: z.number().optional(),
});
export type NodeClaimCondition = z.infer<typeof NodeClaimCondition>;

/**
 * What the NodeClaim controller reports (status subresource). Loose, so that a status written by a
 * newer controller survives an older one reading it.
 */
export const NodeClaimStatus = z.looseObject({
  phase: z
    .string()
    .optional()
    .describe(
      'Phase of the Machine: Pending, WaitingForHost, Provisioning, Ready, HostLost, Stuck, Releasing, Released, Failed.',
    ),
  bareMetalHost: z.string().optional().describe('Name of the BareMetalHost the Machine runs on.'),
  address: z
    .string()
    .optional()
    .describe('Address (CIDR) allocated to the Machine; its IPv4 address when it is dual-stack.'),
  addresses: z
    .array(z.string())
    .optional()
    .describe('Every address (CIDR) allocated to the Machine, IPv4 first: two when it is dual-stack.'),
  workflowId: z.string().optional().describe('Temporal workflow running the Machine lifecycle.'),
  releaseRequestedAt: z.string().optional().describe('When the controller asked the Machine to release (RFC 3339).'),
  reportedSteps: z.number().optional().describe('Lifecycle steps already reported as Events.'),
  observedGeneration: z.number().optional().describe('The metadata.generation this status describes.'),
  conditions: z.array(NodeClaimCondition).optional().describe('Ready: True once the Machine is provisioned.'),
});
export type NodeClaimStatus = z.infer<typeof NodeClaimStatus>;

/** The request for one Machine. */
export const NodeClaim = z
  .strictObject({
    apiVersion: z.literal(API_GROUP_VERSION),
    kind: z.literal('NodeClaim'),
    metadata: NamespacedObjectMeta,
    spec: NodeClaimSpec,
    status: NodeClaimStatus.optional(),
  })
  .superRefine((claim, ctx) => {
    // Metadata annotations also carry the platform's own keys, so only known keys are checked.
    const annotations = claim.metadata.annotations ?? {};
    for (const { key, message } of propertyMapProblems(annotations, 'nodeClaim', 'ignore')) {
      ctx.addIssue({ code: 'custom', path: ['metadata', 'annotations', key], message });
    }
    for (const key of duplicatedKeys(claim.spec.properties, annotations)) {
      ctx.addIssue({ code: 'custom', path: ['metadata', 'annotations', key], message: duplicateMessage(key) });
    }
    const { typeRef, nodeTypeSelector, properties } = claim.spec;
    const namedType = properties?.[PropertyKeys.nodeType] ?? annotations[PropertyKeys.nodeType];
    if (typeRef === undefined && nodeTypeSelector === undefined && namedType === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec'],
        message: NO_NODE_TYPE_MESSAGE,
      });
    }
  });
export type NodeClaim = z.infer<typeof NodeClaim>;
