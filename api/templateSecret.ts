import { z } from 'zod';
import { NamespacedObjectMeta } from './objectMeta.js';
import { checkTemplateParses } from './properties/templateCheck.js';
import { PropertyValueError } from './properties/values.js';

/** The label every user-data or network-data template Secret must carry, and the key holding the template. */
export const TEMPLATE_TYPE_LABEL = 'vcluster.com/user-data-template-type';
export const TEMPLATE_SECRET_KEY = 'template';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A core/v1 Secret as written in YAML (stringData) or read from the API (data, base64). */
export const Secret = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Secret'),
  metadata: NamespacedObjectMeta,
  type: z.string().optional(),
  data: z
    .record(
      z.string(),
      z.string().refine((v) => BASE64.test(v.replace(/\s/g, '')), {
        error: 'is not base64; put plain text under stringData instead of data',
      }),
    )
    .optional(),
  stringData: z.record(z.string(), z.string()).optional(),
});
export type Secret = z.infer<typeof Secret>;

/** The value of `key`, from stringData (as applied) or data (as stored). */
export function secretValue(secret: Secret, key: string): string | undefined {
  const plain = secret.stringData?.[key];
  if (plain !== undefined) return plain;
  const encoded = secret.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

export function isTemplateSecret(secret: Secret): boolean {
  return secret.metadata.labels?.[TEMPLATE_TYPE_LABEL] !== undefined;
}

/** Why `secret` cannot serve as a template Secret, as (path, message) pairs; empty when it can. */
export function templateSecretProblems(secret: Secret): { path: (string | number)[]; message: string }[] {
  const label = secret.metadata.labels?.[TEMPLATE_TYPE_LABEL];
  if (label === undefined) {
    return [{ path: ['metadata', 'labels'], message: `a template Secret must carry the label ${TEMPLATE_TYPE_LABEL}` }];
  }
  if (label === '') return [{ path: ['metadata', 'labels', TEMPLATE_TYPE_LABEL], message: 'must not be empty' }];
  const template = secretValue(secret, TEMPLATE_SECRET_KEY);
  if (template === undefined) {
    return [
      {
        path: ['stringData'],
        message: `a template Secret must hold the template under the key "${TEMPLATE_SECRET_KEY}"`,
      },
    ];
  }
  try {
    checkTemplateParses(secret.metadata.name, template);
    return [];
  } catch (error) {
    if (!(error instanceof PropertyValueError)) throw error;
    const field = secret.stringData?.[TEMPLATE_SECRET_KEY] !== undefined ? 'stringData' : 'data';
    return [{ path: [field, TEMPLATE_SECRET_KEY], message: error.message }];
  }
}

/** A Secret holding a user-data or network-data template. */
export const TemplateSecret = Secret.superRefine((secret, ctx) => {
  for (const { path, message } of templateSecretProblems(secret)) ctx.addIssue({ code: 'custom', path, message });
});
