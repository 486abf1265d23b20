import type { z } from 'zod';
import { BareMetalHost } from './bareMetalHost.js';
import { bareMetalHostProblems } from './bareMetalHostChecks.js';
import { BareMetalHostDocument } from './bareMetalHostSchema.js';
import { NodeClaim } from './nodeClaim.js';
import { NodeEnvironment } from './nodeEnvironment.js';
import { NodeProvider } from './nodeProvider.js';
import { OSImage } from './osImage.js';
import { SSHKey } from './sshKey.js';
import { Secret, TemplateSecret, isTemplateSecret } from './templateSecret.js';
import { describeValue, type ConfigIssue } from './issues.js';
import { didYouMean } from './suggest.js';
import { validateWith } from './zodIssues.js';

/** The kinds `validate` understands, with the schema that checks each. */
const SCHEMAS = {
  NodeProvider,
  NodeClaim,
  OSImage,
  SSHKey,
  NodeEnvironment,
  // BMO's schema, the one its CRD enforces: what validates here is what the apiserver takes.
  BareMetalHost: BareMetalHostDocument,
  Secret,
} satisfies Record<string, z.ZodType>;

export type DocumentKind = keyof typeof SCHEMAS;
export const DOCUMENT_KINDS = Object.keys(SCHEMAS) as DocumentKind[];

export type ValidatedDocument =
  | { readonly kind: 'NodeProvider'; readonly value: NodeProvider }
  | { readonly kind: 'NodeClaim'; readonly value: NodeClaim }
  | { readonly kind: 'OSImage'; readonly value: OSImage }
  | { readonly kind: 'SSHKey'; readonly value: SSHKey }
  | { readonly kind: 'NodeEnvironment'; readonly value: NodeEnvironment }
  | { readonly kind: 'BareMetalHost'; readonly value: BareMetalHost }
  | { readonly kind: 'Secret'; readonly value: Secret };

export type DocumentResult =
  | { readonly ok: true; readonly document: ValidatedDocument }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

function isKind(kind: string): kind is DocumentKind {
  return Object.hasOwn(SCHEMAS, kind);
}

function schemaFor(kind: DocumentKind, value: Record<string, unknown>): z.ZodType {
  if (kind !== 'Secret') return SCHEMAS[kind];
  const secret = Secret.safeParse(value);
  return secret.success && isTemplateSecret(secret.data) ? TemplateSecret : Secret;
}

/** Checks one parsed YAML document against the schema of its kind. */
export function validateDocument(value: unknown): DocumentResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      issues: [
        { path: [], message: `a document must be a mapping with apiVersion and kind, not ${describeValue(value)}` },
      ],
    };
  }
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind !== 'string') {
    const message =
      kind === undefined
        ? `is required; one of ${DOCUMENT_KINDS.join(', ')}`
        : `expected a string, got ${describeValue(kind)}`;
    return { ok: false, issues: [{ path: ['kind'], message }] };
  }
  if (!isKind(kind)) {
    const message = `unknown kind ${JSON.stringify(kind)}${didYouMean(kind, DOCUMENT_KINDS) || `; expected one of ${DOCUMENT_KINDS.join(', ')}`}`;
    return { ok: false, issues: [{ path: ['kind'], message }] };
  }
  const result = validateWith(schemaFor(kind, record), value);
  if (!result.ok) return result;
  if (kind === 'BareMetalHost') return asProviderReadsIt(result.value);
  return { ok: true, document: { kind, value: result.value } as ValidatedDocument };
}

/**
 * A host that BMO's schema takes, read through the provider's view of hosts as the provider would
 * read it from the apiserver. The few things BMO allows that the provider cannot work with (no spec,
 * a consumerRef or data Secret reference without a name) are reported as well, and so are a BMC
 * address, boot MAC or DHCP annotations that BMO or the DHCP server could not use.
 */
function asProviderReadsIt(document: unknown): DocumentResult {
  const result = validateWith(BareMetalHost, document);
  if (result.ok) {
    const issues = bareMetalHostProblems(result.value);
    if (issues.length > 0) return { ok: false, issues };
    return { ok: true, document: { kind: 'BareMetalHost', value: result.value } };
  }
  const issues = result.issues.map((issue) => ({
    ...issue,
    message: `${issue.message} (BMO's CRD allows this, but the provider cannot use such a host)`,
  }));
  return { ok: false, issues };
}
