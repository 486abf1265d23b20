import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { WorkerOptions } from '@temporalio/worker';

/**
 * The prebuilt bundles `npm run build` writes next to the compiled worker: one per failure converter,
 * since the converter is compiled into the workflow sandbox.
 */
export const PREBUILT_BUNDLES = {
  plain: 'workflow-bundle.js',
  encodedFailures: 'workflow-bundle-encoded-failures.js',
} as const;

/** Compiled (.js) or source (.ts) entry point, whichever this process runs from. */
const workflowsEntry = ['../workflows/index.js', '../workflows/index.ts']
  .map((path) => fileURLToPath(new URL(path, import.meta.url)))
  .find((path) => existsSync(path));

/**
 * Where a worker's workflow code comes from: `bundlePath` when given (built for the same data
 * converter), else the prebuilt bundle for the converter, else the sources bundled at start (the
 * SDK then compiles the converter's failure converter in).
 */
export function workflowCode(
  bundlePath: string | undefined,
  dataConverter: DataConverter | undefined,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const name = dataConverter?.failureConverterPath ? PREBUILT_BUNDLES.encodedFailures : PREBUILT_BUNDLES.plain;
  const prebuilt = fileURLToPath(new URL(`../${name}`, import.meta.url));
  const path = bundlePath ?? (existsSync(prebuilt) ? prebuilt : undefined);
  if (path !== undefined) return { workflowBundle: { codePath: path } };
  return { workflowsPath: workflowsEntry };
}
