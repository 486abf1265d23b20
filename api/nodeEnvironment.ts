import { z } from 'zod';
import { API_GROUP_VERSION, ClusterObjectMeta } from './objectMeta.js';
import { propertyMap } from './properties/validateProperties.js';

/** Properties shared by the Machines of one network/location, chosen by `vcluster.com/network-environment`. */
export const NodeEnvironment = z.strictObject({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal('NodeEnvironment'),
  metadata: ClusterObjectMeta,
  spec: z.strictObject({
    displayName: z.string().optional(),
    properties: propertyMap('nodeEnvironment').describe(
      "Properties merged into the Machines that use this environment, last: over the NodeProvider's, the node type's and the NodeClaim's.",
    ),
  }),
});
export type NodeEnvironment = z.infer<typeof NodeEnvironment>;
