// Workflow code bundled once per test run: the product's workflows plus small probes for tests.
import { proxyActivities } from '@temporalio/workflow';

export * from '../../workflows/index.js';

/** A trivial workflow proving that the dev server runs workflows and keeps their history. */
export async function echoWorkflow(message: string): Promise<string> {
  const { echo } = proxyActivities<{ echo(message: string): Promise<string> }>({ startToCloseTimeout: '10s' });
  return echo(message);
}
