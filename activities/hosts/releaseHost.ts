import { classifyApiError } from '../../k8s/apiErrors.js';
import { updateHost } from '../../k8s/updateHost.js';
import { releasedHost } from './hostChanges.js';
import { recordHostEvent, type HostDeps } from './hostDeps.js';
import { describeMachine, isConsumedBy } from './consumerRef.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import type { ReleaseHostResult } from '../../contracts/machineActivityContract.js';

export interface ReleaseHostInput {
  machine: MachineRef;
  host: string;
}

/**
 * Hands the host back to BMO: removes image, customDeploy and the data Secret references and sets
 * `online: false`. The claim (consumerRef and the record) stays until awaitAvailable restores the
 * host, so nobody else takes it while Ironic cleans it. Idempotent.
 */
export async function releaseHost(deps: HostDeps, input: ReleaseHostInput): Promise<ReleaseHostResult> {
  const claim = { ours: true };
  try {
    const { host, changed } = await updateHost(
      deps.hosts,
      input.host,
      (current) => {
        claim.ours = isConsumedBy(current, input.machine);
        return claim.ours ? releasedHost(current) : undefined;
      },
      { seen: deps.cache?.latest(input.host) },
    );
    if (changed) {
      await recordHostEvent(
        deps,
        host,
        'Released',
        `Released by NodeClaim ${describeMachine(input.machine)}; deprovisioning before the host is restored`,
      );
    }
    return claim.ours
      ? { host: input.host, outcome: 'released', resourceVersion: host.metadata.resourceVersion }
      : { host: input.host, outcome: 'notClaimed' };
  } catch (err) {
    if (classifyApiError(err).kind === 'notFound') return { host: input.host, outcome: 'deleted' };
    throw err;
  }
}
