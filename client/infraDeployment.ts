import type { Client, WorkflowHandle } from '@temporalio/client';
import type { NodeProvider } from '../api/nodeProvider.js';
import type { deployInfrastructure } from '../workflows/deployInfrastructure.js';
import {
  INFRA_TASK_QUEUE,
  infraStatusQuery,
  infraWorkflowId,
  type ComponentResult,
  type DeployInfrastructureInput,
  type InfraStatus,
} from '../contracts/infraContract.js';

export interface DeployOptions {
  /** Overrides `spec.metal3.clusterRef.namespace`. */
  namespace?: string;
  taskQueue?: string;
  rolloutTimeoutMs?: number;
}

/** The workflow input for a NodeProvider: its `spec.metal3.deploy`, in its cluster namespace. */
export function deploymentInput(provider: NodeProvider, options: DeployOptions = {}): DeployInfrastructureInput {
  return {
    provider: provider.metadata.name,
    namespace: options.namespace ?? provider.spec.metal3.clusterRef.namespace,
    deploy: provider.spec.metal3.deploy ?? {},
    ...(options.rolloutTimeoutMs !== undefined && { rolloutTimeoutMs: options.rolloutTimeoutMs }),
  };
}

/**
 * Starts the provider's deployment, `infra/<provider>`. A deployment of the same provider still
 * running is terminated: the latest NodeProvider is what should be deployed, and every step is
 * idempotent, so the new run picks up where the old one stopped.
 */
export function startDeployment(
  client: Client,
  input: DeployInfrastructureInput,
  options: { taskQueue?: string } = {},
): Promise<WorkflowHandle<typeof deployInfrastructure>> {
  return client.workflow.start<typeof deployInfrastructure>('deployInfrastructure', {
    taskQueue: options.taskQueue ?? INFRA_TASK_QUEUE,
    workflowId: infraWorkflowId(input.provider),
    args: [input],
    workflowIdConflictPolicy: 'TERMINATE_EXISTING',
  });
}

/** One line per component outcome, e.g. "metal3: installed (release metal3, revision 1, chart metal3-0.1.0)". */
export function describeComponent(result: ComponentResult): string {
  if (result.outcome === 'skipped') return `${result.component}: skipped (disabled; left as it is)`;
  return `${result.component}: ${result.outcome} (release ${result.release ?? ''}, revision ${String(result.revision)}, chart ${result.chart ?? ''})`;
}

function stepLine(entry: InfraStatus['components'][number]): string {
  if (entry.result) return describeComponent(entry.result);
  if (entry.step === 'failed') return `${entry.component}: failed: ${entry.error ?? ''}`;
  return `${entry.component}: ${entry.step.replaceAll('-', ' ')}`;
}

/**
 * Follows a deployment through its status query, calling `print` with each new line of progress,
 * and returns the workflow's result (or throws its failure).
 */
export async function followDeployment(
  handle: WorkflowHandle<typeof deployInfrastructure>,
  print: (line: string) => void,
  pollMs = 1000,
): Promise<Awaited<ReturnType<typeof deployInfrastructure>>> {
  const printed = new Map<string, string>();
  const report = (status: InfraStatus): void => {
    for (const entry of status.components) {
      const line = stepLine(entry);
      if (printed.get(entry.component) !== line) print(line);
      printed.set(entry.component, line);
    }
  };
  const result = handle.result();
  const settled = result.then(
    () => true,
    () => true,
  );
  for (;;) {
    try {
      report(await handle.query(infraStatusQuery));
    } catch {
      // Not yet picked up by a worker, or just finished: the next round or the result tells.
    }
    const finished = await Promise.race([
      settled,
      new Promise<false>((r) =>
        setTimeout(() => {
          r(false);
        }, pollMs),
      ),
    ]);
    if (finished) break;
  }
  const final = await result;
  for (const component of final.components) {
    const line = describeComponent(component);
    if (printed.get(component.component) !== line) print(line);
  }
  return final;
}
