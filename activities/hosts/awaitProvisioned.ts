import { followHost } from './followHost.js';
import type { HostDeps } from './hostDeps.js';
import type { MachineRef } from './machineRef.js';
import { provisioningVerdict, type ProvisionedResult } from './verdicts.js';

export interface AwaitHostInput {
  machine: MachineRef;
  host: string;
}

/**
 * Waits until BMO reports the host `provisioned` with our image. Heartbeats progress (state,
 * operationalStatus, errorCount); ends with the typed failure for `status.errorType`, or
 * HostDeprovisioned when BMO starts deprovisioning after a failed attempt. Set a heartbeat
 * timeout on this activity; its start-to-close timeout is the provisioning deadline.
 */
export function awaitProvisioned(deps: HostDeps, input: AwaitHostInput): Promise<ProvisionedResult> {
  return followHost(
    deps.hosts,
    input.host,
    (host) => provisioningVerdict(input.host, host, input.machine),
    deps.heartbeatIntervalMs,
  );
}
