// Writes the production workflow bundles next to the compiled worker (dist/), so that workers start
// without bundling: one with the SDK's failure converter, one with the converter that encodes failure
// messages (used when payloads are encrypted). `npm run build` runs it after tsc.
import { copyFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ENCODED_FAILURE_CONVERTER_PATH } from '../codec/loadDataConverter.js';
import { PREBUILT_BUNDLES } from '../worker/workflowCode.js';

const dist = (path: string) => fileURLToPath(new URL(`../dist/${path}`, import.meta.url));
const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

// The compiled data converter loads the failure converter from beside itself.
await copyFile(ENCODED_FAILURE_CONVERTER_PATH, dist('codec/encodedFailureConverter.cjs'));
for (const [name, failureConverterPath] of [
  [PREBUILT_BUNDLES.plain, undefined],
  [PREBUILT_BUNDLES.encodedFailures, ENCODED_FAILURE_CONVERTER_PATH],
] as const) {
  const { code } = await bundleWorkflowCode({ workflowsPath, ...(failureConverterPath && { failureConverterPath }) });
  await writeFile(dist(name), code);
  process.stdout.write(`dist/${name}: ${(code.length / 1024).toFixed(0)} KiB\n`);
}
