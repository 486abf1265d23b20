import { z } from 'zod';
import { PropertyValueError, isDnsLabel, parseObjectName } from './properties/values.js';

/** The API group and version of every kind this provider defines, the platform's own. */
export const API_GROUP = 'management.loft.sh';
export const API_GROUP_VERSION = `${API_GROUP}/v1`;

/** A Kubernetes object name (RFC 1123 subdomain), with the reason when it is not one. */
export const ObjectName = z.string().superRefine((name, ctx) => {
  try {
    parseObjectName(name);
  } catch (error) {
    if (!(error instanceof PropertyValueError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

export const NamespaceName = z.string().refine(isDnsLabel, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a valid namespace name; use at most 63 lower-case letters, digits and "-"`,
});

/**
 * The metadata we read. Loose, because the apiserver adds fields (uid, resourceVersion, managedFields)
 * that must survive a round trip.
 */
export function objectMeta<N extends z.ZodType>(namespace: N) {
  return z.looseObject({
    name: ObjectName,
    namespace,
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  });
}

export const ClusterObjectMeta = objectMeta(z.string().optional());
export const NamespacedObjectMeta = objectMeta(NamespaceName.optional());
