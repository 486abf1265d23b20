import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../devstack/devstack.js';
import { runCommand } from '../../../devstack/runCommand.js';
import { simHost } from '../../../sim/simHosts.js';
import { useTestEnv } from '../../support/testEnv.js';

// `npm run build`, the way the Dockerfile runs it, into a temporary folder laid out like the image's
// /app (dist/, bin/, package.json, charts/, crds/, node_modules/): the product only, workers that start
// from the prebuilt bundles, a CLI without the developer commands and a boot worker that never goes
// looking for a helm to build.
const DEV_FOLDERS = ['devstack', 'sim', 'bench', 'test', 'tools', 'scripts'];
let dir: string;
let app: string;
const env = useTestEnv();

/** A module of the build, typed as its source. */
const built = <T>(path: string): Promise<T> => import(pathToFileURL(join(dir, 'dist', path)).href) as Promise<T>;

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

/** The image's /app at `at`, with `dist` copied from the build (dependencies shared with the checkout). */
async function layOutApp(at: string): Promise<void> {
  await mkdir(at, { recursive: true });
  await cp(join(dir, 'dist'), join(at, 'dist'), { recursive: true });
  for (const path of ['bin', 'package.json', 'charts', 'crds'])
    await cp(join(projectRoot, path), join(at, path), { recursive: true });
  await symlink(join(projectRoot, 'node_modules'), join(at, 'node_modules'));
}

const cli = (root: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  runCommand(process.execPath, [join(root, 'bin', 'metal3-provider.js'), ...args], { env });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'production-build-'));
  const build = await runCommand('npm', ['run', 'build', '--', '--out-dir', join(dir, 'dist')], { cwd: projectRoot });
  expect(build.code, build.stdout + build.stderr).toBe(0);
  app = join(dir, 'app');
  await layOutApp(app);
}, 900_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the production build', () => {
  it('holds the compiled product and the workflow bundles, and nothing of the development tooling', async () => {
    const files = await filesUnder(join(dir, 'dist'));
    const tooling = files.filter((file) => file.split(sep).some((part) => DEV_FOLDERS.includes(part)));
    expect(tooling).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts'))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        'workflow-bundle.js',
        'workflow-bundle-encoded-failures.js',
        join('codec', 'encodedFailureConverter.cjs'),
        join('cli', 'main.js'),
        join('worker', 'provisioningWorker.js'),
        join('worker', 'bootWorker.js'),
        join('controller', 'nodeClaimController.js'),
        join('k8s', 'kubernetesClient.js'),
      ]),
    );
    // The Kubernetes client is in the build as the bundle of what the product uses: nothing loads the library.
    const importers: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      if ((await readFile(join(dir, 'dist', file), 'utf8')).includes('@kubernetes/client-node')) importers.push(file);
    }
    expect(importers).toEqual([]);
    expect(files).not.toContain(join('k8s', 'kubernetesClient.js.map'));
  });

  it('reads, writes and watches Kubernetes objects through the bundled client, and knows its errors', async () => {
    const { loadKubeConfig } = await built<typeof import('../../../k8s/kubeClient.js')>('k8s/kubeClient.js');
    const { createBareMetalHostApi } =
      await built<typeof import('../../../k8s/bareMetalHosts.js')>('k8s/bareMetalHosts.js');
    const { startBareMetalHostCache } =
      await built<typeof import('../../../k8s/bareMetalHostCache.js')>('k8s/bareMetalHostCache.js');
    const { createSecretApi } = await built<typeof import('../../../k8s/secrets.js')>('k8s/secrets.js');
    const { classifyApiError } = await built<typeof import('../../../k8s/apiErrors.js')>('k8s/apiErrors.js');
    const kubeConfig = loadKubeConfig(env.kubeconfigPath);
    const hosts = createBareMetalHostApi(kubeConfig, env.namespace);
    const cache = startBareMetalHostCache(kubeConfig, env.namespace, { warn: () => undefined });
    try {
      const created = await hosts.create(simHost(env.namespace, 1, { count: 1, prefix: 'bundled' }));
      const changed = await hosts.replace({ ...created, spec: { ...created.spec, online: true } });
      expect(changed.spec.online).toBe(true);
      // A write from the older version is refused, and a missing host is missing: the build's own errors.
      const stale = await hosts.replace(created).catch((err: unknown) => err);
      expect(classifyApiError(stale).kind).toBe('conflict');
      const missing = await hosts.get('no-such-host').catch((err: unknown) => err);
      expect(classifyApiError(missing).kind).toBe('notFound');

      await cache.firstListed(10_000);
      await expect
        .poll(() => cache.host(created.metadata.name)?.metadata.resourceVersion, { timeout: 10_000 })
        .toBe(changed.metadata.resourceVersion);

      // Secrets go through the typed models (Base64 data, labels) of the bundle.
      const secrets = createSecretApi(kubeConfig, env.namespace);
      await secrets.apply({ name: 'bundled', labels: { 'bundled-test': 'yes' }, stringData: { 'user-data': 'x: 1' } });
      expect(await secrets.read('bundled')).toEqual({
        labels: { 'bundled-test': 'yes' },
        data: { 'user-data': 'x: 1' },
      });
      expect(await secrets.deleteLabelled({ 'bundled-test': 'yes' })).toEqual(['bundled']);
    } finally {
      await cache.stop();
    }
  });

  it('runs the CLI the image runs: the components, not the developer commands', async () => {
    const help = await cli(app, ['--help']);
    expect(help.code, help.stderr).toBe(0);
    for (const command of ['worker', 'controller', 'boot-server', 'codec-server', 'validate', 'machine'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    for (const command of ['demo', 'devstack', 'sim'])
      expect(help.stdout).not.toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(help.stdout).not.toContain('Developer commands');

    const worker = await cli(app, ['worker', '--help']);
    expect(worker.stdout).toMatch(/^ {2}provisioning\b/m);
    expect(worker.stdout).toMatch(/^ {2}boot\b/m);
    const devstack = await cli(app, ['devstack', 'up']);
    expect(devstack.code).toBe(1);
    expect(devstack.stderr).toContain("unknown command 'devstack'");
  });

  it('starts worker boot only with a helm it is given or finds on PATH, and never fetches one', async () => {
    const emptyPath = join(dir, 'empty-path');
    await mkdir(emptyPath);
    const { HELM_PATH: _ignored, ...env } = process.env;
    const config = ['--set', 'dhcp.serverIP=127.0.0.1', '--set', 'tftp.listenAddr=127.0.0.1:1069'];
    config.push('--set', 'proxy.ironicHttpUrl=http://127.0.0.1:9', '--set', 'proxy.ironicApiUrl=http://127.0.0.1:9');
    const boot = await cli(app, ['worker', 'boot', ...config], { ...env, PATH: emptyPath });
    expect(boot.stderr).toBe(
      'no helm found: pass --helm <path>, set HELM_PATH, or put helm on PATH (no executable helm in any of its folders)\n',
    );
    expect(boot.code).toBe(2);
  });

  it('in a checkout that was built, still offers the developer commands from their sources', async () => {
    const checkout = join(dir, 'checkout');
    await layOutApp(checkout);
    for (const folder of ['devstack', 'sim']) await symlink(join(projectRoot, folder), join(checkout, folder));
    const help = await cli(checkout, ['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Developer commands (in a checkout only):');
    for (const command of ['demo', 'devstack', 'sim']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });
});
