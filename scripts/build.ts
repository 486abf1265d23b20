// `npm run build`: tsc with tsconfig.build.json (the product only), then the production workflow bundles
// next to the compiled worker, so that workers start without bundling: one with the SDK's failure
// converter, one with the converter that encodes failure messages (used when payloads are encrypted).
// Last, k8s/kubernetesClient.js becomes a bundle of what the product uses of the Kubernetes client.
// Writes dist/ unless `npm run build -- --out-dir <dir>` names another folder.
import { spawnSync } from 'node:child_process';
import { copyFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';
import { build } from 'esbuild';
import { ENCODED_FAILURE_CONVERTER_PATH } from '../codec/loadDataConverter.js';
import { PREBUILT_BUNDLES } from '../worker/workflowCode.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
const outDir = resolve(values['out-dir'] ?? join(root, 'dist'));

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], {
  stdio: 'inherit',
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const workflowsPath = join(root, 'workflows', 'index.ts');
// The compiled data converter loads the failure converter from beside itself.
await copyFile(ENCODED_FAILURE_CONVERTER_PATH, join(outDir, 'codec', 'encodedFailureConverter.cjs'));
for (const [name, failureConverterPath] of [
  [PREBUILT_BUNDLES.plain, undefined],
  [PREBUILT_BUNDLES.encodedFailures, ENCODED_FAILURE_CONVERTER_PATH],
] as const) {
  const { code } = await bundleWorkflowCode({ workflowsPath, ...(failureConverterPath && { failureConverterPath }) });
  await writeFile(join(outDir, name), code);
  process.stdout.write(`${join(outDir, name)}: ${(code.length / 1024).toFixed(0)} KiB\n`);
}

// The library's entry loads every generated API; the product uses five. Bundled to the exports of
// k8s/kubernetesClient.ts, with names kept for readable stack traces, an idle worker holds 27 MiB less and
// starts with 0.5 s less CPU (bench/results/startup.md). Dependencies the library only tries to load (ws's
// optional native helpers) stay outside, and the bundle's require finds them or not.
const kubernetesClient = join(outDir, 'k8s', 'kubernetesClient.js');
await build({
  entryPoints: [join(root, 'k8s', 'kubernetesClient.ts')],
  outfile: kubernetesClient,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  external: ['bufferutil', 'utf-8-validate'],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
// tsc's source map was of the module the bundle replaces.
await rm(`${kubernetesClient}.map`, { force: true });
process.stdout.write(`${kubernetesClient}: the Kubernetes client, bundled\n`);
