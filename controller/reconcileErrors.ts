import { classifyApiError } from '../k8s/apiErrors.js';

/**
 * Transient: the apiserver or Temporal is briefly unavailable, or someone wrote the claim between
 * our read and our write — retried with backoff. Terminal: retrying the same request cannot help
 * (the apiserver rejects what we send) — reported, and retried only when the claim changes.
 */
export type ReconcileErrorKind = 'transient' | 'terminal';

export function classifyReconcileError(err: unknown): { kind: ReconcileErrorKind; message: string } {
  const api = classifyApiError(err);
  if (api.kind === 'invalid')
    return { kind: 'terminal', message: `the apiserver rejected the NodeClaim: ${api.message}` };
  if (api.kind === 'conflict')
    return { kind: 'transient', message: 'the NodeClaim changed while reconciling; reading it again' };
  if (api.status !== undefined) return { kind: 'transient', message: `Kubernetes API: ${api.message}` };
  return { kind: 'transient', message: err instanceof Error ? err.message : String(err) };
}
