import type { Logger } from 'pino';
import { hostLoss } from '../activities/hosts/hostLoss.js';
import type { MachineClient } from '../client/machineClient.js';
import type { MachineRef } from '../contracts/machineContract.js';
import type { MachineObservation } from './reconcileNodeClaim.js';
import type { HostCache } from './watchHosts.js';

/**
 * For a Ready Machine: follow its host, and when the host no longer serves it (deleted,
 * deprovisioned, switched off, taken over) tell the workflow, which checks the host itself and
 * waits for an operator. True when a report was sent (the claim is looked at again soon).
 */
export async function reportLostHost(
  deps: { machines: MachineClient; hosts: HostCache; logger: Logger },
  machine: MachineRef,
  observation: MachineObservation,
): Promise<boolean> {
  if (observation.kind !== 'found' || !observation.running) return false;
  const { phase, host, clusterNamespace } = observation.status;
  if (phase !== 'Ready' || !host || !clusterNamespace) return false;
  deps.hosts.follow(clusterNamespace, host, `${machine.namespace}/${machine.name}`);
  const reason = hostLoss(host, deps.hosts.get(clusterNamespace, host), machine);
  if (reason === undefined) return false;
  await deps.machines.reportHostLost(machine, { host, reason });
  deps.logger.warn({ nodeClaim: `${machine.namespace}/${machine.name}`, host, reason }, 'host of a Ready Machine lost');
  return true;
}
