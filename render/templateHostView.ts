import type { BareMetalHost } from '../api/bareMetalHost.js';

/** Prefix of the provider's own bookkeeping annotations (the host's original record, leases in flight). */
const PROVIDER_ANNOTATION_PREFIX = 'metal3-provider.io/';

/**
 * Annotations that carry a copy of the host's spec or status, and with it the BMC address or the
 * credentials' Secret: BMO's status backup and kubectl's record of the last applied object.
 */
const COPY_ANNOTATIONS: ReadonlySet<string> = new Set([
  'baremetalhost.metal3.io/status',
  'kubectl.kubernetes.io/last-applied-configuration',
]);

/** Status fields that name the BMC credentials' Secret. */
const CREDENTIAL_STATUS_FIELDS: readonly string[] = ['goodCredentials', 'triedCredentials'];

/**
 * The BareMetalHost as templates see it (`.BareMetalHost`). Templates are tenant input, so the view
 * leaves out what only the administrator may know: the BMC address and credentials, copies of them,
 * and the provider's bookkeeping. Everything else (labels, hardware details, the IP annotations) stays.
 */
export function templateHostView(host: BareMetalHost): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(host)) as {
    metadata: Record<string, unknown> & { annotations?: Record<string, string> };
    spec?: Record<string, unknown>;
    status?: Record<string, unknown>;
  };
  const { managedFields: _managedFields, ...metadata } = plain.metadata;
  if (plain.metadata.annotations) {
    metadata.annotations = Object.fromEntries(
      Object.entries(plain.metadata.annotations).filter(
        ([key]) => !key.startsWith(PROVIDER_ANNOTATION_PREFIX) && !COPY_ANNOTATIONS.has(key),
      ),
    );
  }
  const { bmc: _bmc, ...spec } = plain.spec ?? {};
  const status =
    plain.status &&
    Object.fromEntries(Object.entries(plain.status).filter(([key]) => !CREDENTIAL_STATUS_FIELDS.includes(key)));
  return { ...plain, metadata, ...(plain.spec && { spec }), ...(status && { status }) };
}
