import { WorkflowNotFoundError } from '@temporalio/client';
import type { MachineClient } from '../client/machineClient.js';
import { statusQuery, type MachineRef } from '../contracts/machineContract.js';
import { closedMachineStatus } from './nodeClaimStatus.js';
import type { MachineObservation } from './reconcileNodeClaim.js';

/**
 * What Temporal says about a claim's Machine: whether its workflow exists and runs, and its status
 * query. A closed workflow answers the query too (from its history), so a Released or Failed Machine
 * still reports its last status. A workflow started for an earlier NodeClaim of the same name is
 * told apart by the claim uid it carries.
 */
export async function observeMachine(client: MachineClient, machine: MachineRef): Promise<MachineObservation> {
  const handle = client.handle(machine);
  let running: boolean;
  let closedAs: string | undefined;
  try {
    const description = await handle.describe();
    running = description.status.name === 'RUNNING';
    if (!running) closedAs = description.status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { kind: 'absent' };
    throw err;
  }
  const status = await handle.query(statusQuery);
  const uid = status.machine.uid;
  if (uid !== undefined && machine.uid !== undefined && uid !== machine.uid) {
    return running ? { kind: 'foreign', status } : { kind: 'absent' };
  }
  if (closedAs === undefined) return { kind: 'found', running, status };
  return { kind: 'found', running, status: closedMachineStatus(status, closedAs), closedAs };
}
