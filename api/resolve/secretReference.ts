import { ConfigValidationError } from '../issues.js';
import { parseSecretReference } from '../properties/values.js';
import { describeOrigin, type PropertyOrigin } from './origin.js';

/** The default namespace of the platform (the spec's example Secret sits in `loft`, beside it). */
export const DEFAULT_PLATFORM_NAMESPACE = 'loft';

/**
 * The NodeProvider is cluster-scoped and only the administrator writes it, its properties and its
 * node types alike; NodeClaims and NodeEnvironments are written by (or for) a tenant, so they must
 * not reach beyond the tenant.
 */
export function isAdministratorOrigin(origin: PropertyOrigin): boolean {
  return origin.kind === 'nodeProvider' || origin.kind === 'nodeType';
}

export interface SecretReferenceRequest {
  /** The property that names the Secret, e.g. `metal3-provider.io/join-secret`. */
  readonly property: string;
  /** Its value: `name` or `namespace/name`. */
  readonly value: string;
  readonly origin: PropertyOrigin;
  /** The namespace of the NodeClaim the Machine is for. */
  readonly claimNamespace: string;
  /** Where the provider's own configuration lives; bare names are looked up here. */
  readonly platformNamespace: string;
  /** Whether the property's format requires `namespace/name`. */
  readonly namespaceRequired?: boolean;
}

export interface SecretLocation {
  readonly namespace: string;
  readonly name: string;
}

/** A reference the rule forbids; a ConfigValidationError, so every caller already reports it as such. */
export class SecretReferenceRefusedError extends ConfigValidationError {
  constructor(subject: string, message: string) {
    super(subject, [{ path: [], message }]);
    this.name = 'SecretReferenceRefusedError';
  }
}

/** The rule in words, for the refusal message; it says nothing about any Secret, only about the reference. */
function ruleText(claimNamespace: string, platformNamespace: string): string {
  return (
    `a bare Secret name is looked up in the platform namespace "${platformNamespace}"; "<namespace>/<name>" may ` +
    `name only the NodeClaim's own namespace "${claimNamespace}", or the platform namespace when the property ` +
    `is set on the NodeProvider or one of its node types`
  );
}

/**
 * Where a Secret named by a property may be read, decided from the reference and who set it alone,
 * before anything is read: so a refusal is the same whether the Secret exists or not.
 * Throws PropertyValueError for a malformed value and SecretReferenceRefusedError for a forbidden one.
 */
export function secretLocation(request: SecretReferenceRequest): SecretLocation {
  const { property, value, origin, claimNamespace, platformNamespace } = request;
  const reference = parseSecretReference(value, request.namespaceRequired ?? false);
  if (reference.namespace === undefined) return { namespace: platformNamespace, name: reference.name };
  const allowed =
    reference.namespace === claimNamespace ||
    (reference.namespace === platformNamespace && isAdministratorOrigin(origin));
  if (allowed) return { namespace: reference.namespace, name: reference.name };
  const who = isAdministratorOrigin(origin) ? 'the administrator' : 'a tenant';
  throw new SecretReferenceRefusedError(
    `${property} ${JSON.stringify(value)} (set in ${describeOrigin(origin)})`,
    `refused, nothing was read: set by ${who}, and ${ruleText(claimNamespace, platformNamespace)}; ` +
      `copy the Secret into "${claimNamespace}" and name it "${claimNamespace}/${reference.name}"`,
  );
}
