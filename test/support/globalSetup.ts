import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startDevstack, type DevstackEndpoints } from '../../devstack/devstack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    devstack: DevstackEndpoints;
    workflowBundlePath: string;
  }
}

/** One devstack and one workflow bundle per test run, shared by every test file of the tier. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startDevstack({ progress: (line) => process.stderr.write(`[devstack] ${line}\n`) });
  try {
    const { code } = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./testWorkflows.ts', import.meta.url)),
      logger: {
        log: () => undefined,
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: console.warn,
        error: console.error,
      },
    });
    const bundleDir = await mkdtemp(join(tmpdir(), 'metal3-provider-bundle-'));
    const workflowBundlePath = join(bundleDir, 'workflows.js');
    await writeFile(workflowBundlePath, code);
    project.provide('devstack', stack.endpoints);
    project.provide('workflowBundlePath', workflowBundlePath);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return () => stack.stop();
}
