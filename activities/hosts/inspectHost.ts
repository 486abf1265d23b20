import { classifyApiError } from '../../k8s/apiErrors.js';
import type { HostDeps } from './hostDeps.js';
import { hostLoss } from './hostLoss.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import type { InspectHostResult } from '../../contracts/machineActivityContract.js';

export interface InspectHostInput {
  machine: MachineRef;
  host: string;
}

/** Reads the host under a Ready Machine once and says whether it still serves it (a report may be stale). */
export async function inspectHost(deps: HostDeps, input: InspectHostInput): Promise<InspectHostResult> {
  let current;
  try {
    current = await deps.hosts.get(input.host);
  } catch (err) {
    if (classifyApiError(err).kind !== 'notFound') throw err;
  }
  const lost = hostLoss(input.host, current, input.machine);
  return lost === undefined ? { host: input.host } : { host: input.host, lost };
}
