import type { Client } from '@temporalio/client';
import { statusQuery, type MachineStatus } from '../../contracts/machineContract.js';
import type { FindStuckInput, FindStuckResult, StuckMachine } from '../../contracts/reclaimContract.js';

/**
 * The visibility query an operator would type in the Web UI, narrowed to Machines started before the
 * threshold (none of the others can have been Stuck that long).
 */
export function stuckQuery(providers: readonly string[], startedBefore: Date): string {
  const clauses = [
    `WorkflowType = 'machineLifecycle'`,
    `ExecutionStatus = 'Running'`,
    `MachinePhase = 'Stuck'`,
    `StartTime < '${startedBefore.toISOString()}'`,
  ];
  if (providers.length > 0) {
    clauses.push(`NodeProvider IN (${providers.map((p) => `'${p.replace(/'/g, '')}'`).join(', ')})`);
  }
  return clauses.join(' AND ');
}

/** When the Machine became Stuck: the end of the step whose failure it waits on. */
export function stuckSince(status: MachineStatus): string | undefined {
  if (status.phase !== 'Stuck') return undefined;
  return status.steps.filter((step) => step.outcome === 'failed').at(-1)?.endedAt;
}

/**
 * One page of Machines Stuck for longer than the threshold. Each one's status query tells when it
 * became Stuck; a Machine whose status cannot be read is listed with that said, since the
 * visibility query already showed it Stuck and old enough.
 */
export async function findStuckMachines(
  client: Client,
  input: FindStuckInput,
  now = new Date(),
): Promise<FindStuckResult> {
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    pageSize: input.limit,
    query: stuckQuery(input.providers, new Date(now.getTime() - input.stuckAfterMs)),
    ...(input.token && { nextPageToken: Buffer.from(input.token, 'base64') }),
  });
  const executions = response.executions;
  const found: StuckMachine[] = [];
  for (const execution of executions) {
    const workflowId = execution.execution?.workflowId;
    if (!workflowId) continue;
    const machine = workflowId.replace(/^machine\//, '');
    try {
      const status = await client.workflow.getHandle(workflowId).query(statusQuery);
      if (status.phase !== 'Stuck') continue;
      const since = stuckSince(status);
      if (since !== undefined && now.getTime() - Date.parse(since) < input.stuckAfterMs) continue;
      found.push({
        machine,
        workflowId,
        ...(since !== undefined && { stuckSince: since }),
        ...(status.details !== undefined && { details: status.details }),
      });
    } catch (err) {
      found.push({
        machine,
        workflowId,
        details: `its status could not be read (${err instanceof Error ? err.message : String(err)})`,
      });
    }
  }
  const next = response.nextPageToken;
  return {
    found,
    scanned: executions.length,
    ...(next.length > 0 && { next: Buffer.from(next).toString('base64') }),
  };
}
