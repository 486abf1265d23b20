import { followHost } from './followHost.js';
import type { HostDeps } from './hostDeps.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import { provisioningVerdict, type ProvisionedResult } from './verdicts.js';

export interface AwaitHostInput {
  machine: MachineRef;
  host: string;
}

export interface AwaitProvisionedInput extends AwaitHostInput {
  /**
   * The previous attempt failed: BMO retries by itself while the image stays set, so the error and
   * deprovisioning that follow it are that old attempt's; judge only once a new attempt has begun.
   */
  afterFailedAttempt?: boolean;
}

/**
 * Waits until BMO reports the host `provisioned` with our image. Heartbeats progress (state,
 * operationalStatus, errorCount); ends with the typed failure for `status.errorType`, or
 * HostDeprovisioned when BMO starts deprovisioning after a failed attempt. Set a heartbeat
 * timeout on this activity; its start-to-close timeout is the provisioning deadline.
 */
export function awaitProvisioned(deps: HostDeps, input: AwaitProvisionedInput): Promise<ProvisionedResult> {
  let newAttemptSeen = !input.afterFailedAttempt;
  return followHost(
    deps.hosts,
    input.host,
    (host) => {
      const status = host?.status;
      if (!newAttemptSeen && host && status?.provisioning?.state !== 'provisioned') {
        if (status?.provisioning?.state !== 'provisioning' || status.errorType) return undefined;
        newAttemptSeen = true;
      }
      return provisioningVerdict(input.host, host, input.machine);
    },
    deps.heartbeatIntervalMs,
  );
}
