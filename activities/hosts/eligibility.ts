import { BMH_DETACHED_ANNOTATION, BMH_PAUSED_ANNOTATION, type BareMetalHost } from '../../api/bareMetalHost.js';
import { selectorMatches } from '../../api/labelSelector.js';
import { isConsumedBy } from './consumerRef.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import { resourceShortfall } from './resourceFit.js';
import type { HostRequest } from '../../contracts/machineActivityContract.js';

/** Why a host matching the selector cannot be claimed; one reason per host, the first that applies. */
export const ExclusionReason = {
  excluded: 'excluded for this Machine',
  deleting: 'being deleted',
  detached: `detached (${BMH_DETACHED_ANNOTATION})`,
  paused: `paused (${BMH_PAUSED_ANNOTATION})`,
  consumed: 'consumed by another Machine',
  inError: 'in error',
  notAvailable: 'not in state available',
  insufficientResources: 'too small for the requested resources',
  selectorMismatch: "not matching the node type's selector",
} as const;
export type ExclusionReason = keyof typeof ExclusionReason;

/** Reasons that can go away without anyone changing the request (a pinned host may become free). */
const TEMPORARY_REASONS: ReadonlySet<ExclusionReason> = new Set([
  'consumed',
  'inError',
  'notAvailable',
  'paused',
  'detached',
]);

export function isTemporaryExclusion(reason: ExclusionReason): boolean {
  return TEMPORARY_REASONS.has(reason);
}

export type Eligibility = { eligible: true } | { eligible: false; reason: ExclusionReason; detail: string };

/** Whether `host` could be claimed now for `machine`; a host this Machine already holds is not "eligible" but "ours". */
export function hostEligibility(host: BareMetalHost, request: HostRequest, machine: MachineRef): Eligibility {
  if (!selectorMatches(request.selector, host.metadata.labels)) return no('selectorMismatch');
  return matchedHostEligibility(host, request, machine);
}

const ELIGIBLE: Eligibility = { eligible: true };

function no(reason: ExclusionReason, detail: string = ExclusionReason[reason]): Eligibility {
  return { eligible: false, reason, detail };
}

/** `hostEligibility` of a host that matches the selector: a claim has checked that already. */
function matchedHostEligibility(host: BareMetalHost, request: HostRequest, machine: MachineRef): Eligibility {
  const { metadata, spec, status } = host;
  if (request.excludedHosts?.includes(metadata.name)) return no('excluded');
  if (metadata.deletionTimestamp) return no('deleting');
  if (metadata.annotations?.[BMH_DETACHED_ANNOTATION] !== undefined) return no('detached');
  if (metadata.annotations?.[BMH_PAUSED_ANNOTATION] !== undefined) return no('paused');
  if (spec.consumerRef && !isConsumedBy(host, machine)) {
    // The claim's author sees this detail: name a consumer only from the author's own namespace.
    const ref = spec.consumerRef;
    if (ref.namespace !== machine.namespace) return no('consumed', 'consumed by a Machine of another namespace');
    return no('consumed', `consumed by ${ref.kind ?? 'object'} ${ref.namespace}/${ref.name}`);
  }
  if (status?.errorMessage || status?.errorType) {
    return no('inError', `in error (${status.errorType ?? 'error'}: ${status.errorMessage ?? ''})`);
  }
  const state = status?.provisioning?.state ?? '';
  if (state !== 'available' && state !== 'ready') return no('notAvailable', `in state "${state}", not available`);
  const shortfall = resourceShortfall(host, request.resources);
  if (shortfall) {
    return no(
      'insufficientResources',
      `too small: ${shortfall.resource} ${shortfall.available} available, ${shortfall.requested} requested`,
    );
  }
  return ELIGIBLE;
}

export interface Selection {
  /** A host this Machine already consumes (a retried claim after a lost reply). */
  ours?: BareMetalHost;
  /** Eligible hosts, in the order read; a claim tries them in `inClaimOrder` (claimOrder.ts). */
  candidates: BareMetalHost[];
  /** Hosts matching the selector. */
  matched: number;
  excluded: Partial<Record<ExclusionReason, number>>;
}

export function selectCandidates(
  hosts: readonly BareMetalHost[],
  request: HostRequest,
  machine: MachineRef,
): Selection {
  const selection: Selection = { candidates: [], matched: 0, excluded: {} };
  for (const host of hosts) {
    if (!selectorMatches(request.selector, host.metadata.labels)) continue;
    selection.matched++;
    if (isConsumedBy(host, machine)) {
      selection.ours ??= host;
      continue;
    }
    const verdict = matchedHostEligibility(host, request, machine);
    if (verdict.eligible) selection.candidates.push(host);
    else selection.excluded[verdict.reason] = (selection.excluded[verdict.reason] ?? 0) + 1;
  }
  return selection;
}

/** "12 consumed by another Machine, 3 in error" for failure messages. */
export function describeExclusions(excluded: Partial<Record<ExclusionReason, number>>): string {
  const parts = Object.entries(excluded).map(
    ([reason, count]) => `${count} ${ExclusionReason[reason as ExclusionReason]}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'none excluded';
}
