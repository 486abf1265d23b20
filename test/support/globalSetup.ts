import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { ENCODED_FAILURE_CONVERTER_PATH } from '../../codec/loadDataConverter.js';
import { startDevstack, type DevstackEndpoints } from '../../devstack/devstack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    devstack: DevstackEndpoints;
    workflowBundlePath: string;
    encodedFailuresBundlePath: string;
  }
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: console.warn,
  error: console.error,
};

/** One devstack and one workflow bundle per test run, shared by every test file of the tier. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startDevstack({ progress: (line) => process.stderr.write(`[devstack] ${line}\n`) });
  try {
    const bundleDir = await mkdtemp(join(tmpdir(), 'metal3-provider-bundle-'));
    const bundle = async (file: string, failureConverterPath?: string) => {
      const { code } = await bundleWorkflowCode({
        workflowsPath: fileURLToPath(new URL('./testWorkflows.ts', import.meta.url)),
        ...(failureConverterPath !== undefined && { failureConverterPath }),
        logger: quietLogger,
      });
      await writeFile(join(bundleDir, file), code);
      return join(bundleDir, file);
    };
    project.provide('workflowBundlePath', await bundle('workflows.js'));
    project.provide('encodedFailuresBundlePath', await bundle('workflows-encoded.js', ENCODED_FAILURE_CONVERTER_PATH));
    project.provide('devstack', stack.endpoints);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return () => stack.stop();
}
