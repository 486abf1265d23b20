import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { inject } from 'vitest';
import { projectRoot } from '../../devstack/devstack.js';
import { resolveTool } from '../../devstack/resolveTool.js';
import { runCommand } from '../../devstack/runCommand.js';

/** Where the replay test finds the recorded histories of real runs. */
export const historyFixturesDir = join(projectRoot, 'test', 'fixtures', 'histories');

/**
 * With METAL3_RECORD_HISTORIES=1, saves a finished workflow's history as a replay fixture, in the
 * JSON form `temporal workflow show -o json` prints; otherwise does nothing. The latest run, or
 * `runId` (e.g. a run that continued as new).
 */
export async function recordHistory(handle: WorkflowHandle, scenario: string, runId?: string): Promise<void> {
  if (process.env.METAL3_RECORD_HISTORIES !== '1') return;
  const stack = inject('devstack');
  const temporal = await resolveTool('temporal');
  const shown = await runCommand(temporal.path, [
    'workflow', 'show', '--workflow-id', handle.workflowId, '--address', stack.temporalAddress,
    '--namespace', stack.temporalNamespace, '--output', 'json', ...(runId ? ['--run-id', runId] : []),
  ]); // prettier-ignore
  if (shown.code !== 0) throw new Error(`temporal workflow show failed: ${shown.stderr}`);
  await mkdir(historyFixturesDir, { recursive: true });
  // Stack traces name files of the machine that recorded them; replay does not read them.
  const history = JSON.stringify(
    JSON.parse(shown.stdout) as unknown,
    (key, value: unknown) => (key === 'stackTrace' ? '' : value),
    2,
  );
  await writeFile(join(historyFixturesDir, `${scenario}.json`), history);
}
