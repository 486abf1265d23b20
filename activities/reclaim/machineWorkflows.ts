import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { machineWorkflowId } from '../../contracts/machineContract.js';
import { machineKeyOf } from './owners.js';

/** `running`: the Machine exists (its workflow may be mid-claim or mid-release); `gone`: closed or never started. */
export type MachineWorkflowState = 'running' | 'gone';

const DEFAULT_CONCURRENCY = 16;
const GRPC_NOT_FOUND = 5;

/**
 * Asks Temporal, Machine by Machine, whether its lifecycle workflow runs. Only a definite answer
 * counts: an unreachable server throws (the activity retries) instead of calling a Machine gone.
 * Keyed by `<namespace>/<name>`.
 */
export async function machineWorkflowStates(
  client: Client,
  machines: readonly { namespace: string; name: string }[],
  concurrency = DEFAULT_CONCURRENCY,
): Promise<Map<string, MachineWorkflowState>> {
  const unique = [...new Map(machines.map((m) => [machineKeyOf(m), m])).values()];
  const states = new Map<string, MachineWorkflowState>();
  for (let i = 0; i < unique.length; i += concurrency) {
    await Promise.all(
      unique.slice(i, i + concurrency).map(async (machine) => {
        states.set(machineKeyOf(machine), await machineWorkflowState(client, machine));
      }),
    );
  }
  return states;
}

async function machineWorkflowState(
  client: Client,
  machine: { namespace: string; name: string },
): Promise<MachineWorkflowState> {
  try {
    // Without a run id this describes the latest run, which is the one that holds the Machine.
    const description = await client.workflow.getHandle(machineWorkflowId(machine)).describe();
    return description.status.name === 'RUNNING' ? 'running' : 'gone';
  } catch (err) {
    if (isNotFound(err)) return 'gone';
    throw err;
  }
}

/** A client over the worker's native connection may report NOT_FOUND as a plain service error. */
function isNotFound(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === GRPC_NOT_FOUND;
}
