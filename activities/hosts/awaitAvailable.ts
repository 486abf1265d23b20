import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { IP_ADDRESS_ANNOTATION } from '../../ipam/lease.js';
import { classifyApiError } from '../../k8s/apiErrors.js';
import { updateHost } from '../../k8s/updateHost.js';
import { followHost } from './followHost.js';
import { recordHostEvent, type HostDeps } from './hostDeps.js';
import { describeMachine, isConsumedBy } from './consumerRef.js';
import { restoredHost } from './originalRecord.js';
import { availabilityVerdict } from './verdicts.js';
import type { AwaitAvailableResult, FollowHostInput } from '../../contracts/machineActivityContract.js';

/**
 * After releaseHost: waits (heartbeating) while Ironic cleans the host until BMO reports it
 * `available`, then restores every recorded original value, clears consumerRef and removes the
 * record, in one resourceVersion-guarded update.
 */
export async function awaitAvailable(deps: HostDeps, input: FollowHostInput): Promise<AwaitAvailableResult> {
  let decidedOn: BareMetalHost | undefined;
  const outcome = await followHost(deps, input, (host) => {
    decidedOn = host;
    return availabilityVerdict(input.host, host, input.machine);
  });
  if (outcome !== 'available') return { host: input.host, outcome };
  try {
    // The restore starts from the version found available: no read in between, unless it went stale.
    const { host, changed } = await updateHost(
      deps.hosts,
      input.host,
      (current) => (isConsumedBy(current, input.machine) ? restoredHost(current) : undefined),
      { seen: decidedOn },
    );
    if (!changed) return { host: input.host, outcome: 'notClaimed' };
    await recordHostEvent(
      deps,
      host,
      'Restored',
      `Restored after NodeClaim ${describeMachine(input.machine)} released it`,
    );
    // Said so that freeing the address need not read the host again to take its lease off.
    const addressLeftOnHost = host.metadata.annotations?.[IP_ADDRESS_ANNOTATION] ?? null;
    return { host: input.host, outcome: 'restored', addressLeftOnHost };
  } catch (err) {
    if (classifyApiError(err).kind === 'notFound') return { host: input.host, outcome: 'deleted' };
    throw err;
  }
}
