import { z } from 'zod';
import { API_GROUP_VERSION, ClusterObjectMeta } from './objectMeta.js';
import { propertyMap } from './properties/validateProperties.js';
import { readImageProperties } from './properties/image.js';

/** An OS image that node types and NodeClaims name with `vcluster.com/os-image`. */
export const OSImage = z.strictObject({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal('OSImage'),
  metadata: ClusterObjectMeta,
  spec: z.strictObject({
    displayName: z.string().optional(),
    description: z.string().optional(),
    // propertyMap checks the values and the checksum type against the checksum; what is left is
    // that an OSImage must set both url and checksum.
    properties: propertyMap('osImage').superRefine((properties, ctx) => {
      const result = readImageProperties(properties);
      if (result.ok) return;
      for (const { key, message } of result.problems) {
        if (key in properties) continue;
        ctx.addIssue({ code: 'custom', path: [], message: `${message}; an OSImage must set it` });
      }
    }),
  }),
});
export type OSImage = z.infer<typeof OSImage>;
