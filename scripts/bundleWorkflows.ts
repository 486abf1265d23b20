// Writes the production workflow bundle next to the compiled worker (dist/workflow-bundle.js), so that
// workers start without bundling; `npm run build` runs it after tsc.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const { code } = await bundleWorkflowCode({
  workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
});
await writeFile(fileURLToPath(new URL('../dist/workflow-bundle.js', import.meta.url)), code);
process.stdout.write(`dist/workflow-bundle.js: ${(code.length / 1024).toFixed(0)} KiB\n`);
