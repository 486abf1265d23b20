import { followHost } from './followHost.js';
import type { HostDeps } from './hostDeps.js';
import { provisioningVerdict } from './verdicts.js';
import type { AwaitProvisionedInput, ProvisionedResult } from '../../contracts/machineActivityContract.js';

/**
 * Waits until BMO reports the host `provisioned` with our image. Heartbeats progress (state,
 * operationalStatus, errorCount); ends with the typed failure for `status.errorType`, or
 * HostDeprovisioned when BMO starts deprovisioning after a failed attempt. Set a heartbeat
 * timeout on this activity; its start-to-close timeout is the provisioning deadline.
 */
export function awaitProvisioned(deps: HostDeps, input: AwaitProvisionedInput): Promise<ProvisionedResult> {
  let newAttemptSeen = !input.afterFailedAttempt;
  return followHost(deps, input, (host) => {
    const status = host?.status;
    if (!newAttemptSeen && host && status?.provisioning?.state !== 'provisioned') {
      if (status?.provisioning?.state !== 'provisioning' || status.errorType) return undefined;
      newAttemptSeen = true;
    }
    return provisioningVerdict(input.host, host, input.machine);
  });
}
