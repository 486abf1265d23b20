import type { V1Secret } from '@kubernetes/client-node';
import { BMH_PAUSED_ANNOTATION, type BareMetalHost, type BmhStatus } from '../api/bareMetalHost.js';
import {
  claimedSecret,
  credentialsProblem,
  HOST_FINALIZER,
  releasedSecret,
  type CredentialsProblem,
} from './bmcCredentials.js';
import { hostSettings, type SimConfig } from './settings.js';
import { nextState } from './stateMachine.js';
import { applyChanges, errorChanges } from './statusChanges.js';

/** One write the simulator makes for a host, in the order BMO makes them; at most one per pass. */
export interface SimAction {
  /** The host's metadata or spec to write (finalizer, architecture), guarded by its resourceVersion. */
  host?: BareMetalHost;
  /** The BMC Secret to write (label, owner reference, finalizer), guarded by its resourceVersion. */
  secret?: V1Secret;
  status?: BmhStatus;
  /** When to look at the host again if nothing else changes. */
  requeueAfterMs?: number;
}

/**
 * What BMO does on one pass over a host, before and around its state machine: adds its finalizer,
 * copies the inspected architecture into the spec, checks the BMC credentials (a registration error
 * while they cannot be used), takes the Secret (label, owner reference, finalizer), runs the state
 * machine, and at the end of a deletion releases the Secret and removes its finalizer.
 * `secret` is the host's BMC Secret as read now, undefined when it does not exist.
 */
export function reconcile(host: BareMetalHost, secret: V1Secret | undefined, now: Date, config: SimConfig): SimAction {
  if (host.metadata.annotations?.[BMH_PAUSED_ANNOTATION] !== undefined) return {};
  const deleting = host.metadata.deletionTimestamp !== undefined;
  // The project's view of a host leaves finalizers untyped (it never writes them); BMO's are strings.
  const finalizers = (host.metadata.finalizers as string[] | undefined) ?? [];
  const arch = host.status?.hardware?.cpu?.arch;
  if (!host.spec.architecture && arch) return { host: { ...host, spec: { ...host.spec, architecture: arch } } };
  if (!deleting && !finalizers.includes(HOST_FINALIZER)) {
    return { host: { ...host, metadata: { ...host.metadata, finalizers: [...finalizers, HOST_FINALIZER] } } };
  }
  if (deleting && !finalizers.includes(HOST_FINALIZER)) return {};

  const state = host.status?.provisioning?.state ?? '';
  if (state === '' || state === 'unmanaged') return nextState(host, now, config);
  const problem = credentialsProblem(host, secret);
  if (problem && !deleting) return credentialsError(host, problem, now, config);
  const usable = problem ? undefined : secret;
  if (usable) {
    const claimed = claimedSecret(usable, host, state !== 'deleting');
    if (claimed) return { secret: claimed };
  }

  if (state === 'deleting') {
    const released = usable && releasedSecret(usable);
    if (released) return { secret: released };
    return {
      host: { ...host, metadata: { ...host.metadata, finalizers: finalizers.filter((f) => f !== HOST_FINALIZER) } },
    };
  }
  return nextState(host, now, config, usable);
}

/** BMO's registration error for unusable credentials; a missing Secret is looked for again every retry. */
function credentialsError(host: BareMetalHost, problem: CredentialsProblem, now: Date, config: SimConfig): SimAction {
  const status = host.status ?? {};
  if (status.errorType === 'registration error' && status.errorMessage === problem.message) {
    if (!problem.retry) return {};
    const elapsed = now.getTime() - Date.parse(status.lastUpdated ?? '1970-01-01T00:00:00Z');
    const wait = hostSettings(host, config).errorRetryMs - elapsed;
    if (wait > 0) return { requeueAfterMs: wait };
  }
  return { status: applyChanges(status, errorChanges(status, 'registration error', problem.message), now) };
}
