// npm run record-bmo: runs the conformance scenarios against a real Bare Metal Operator in test mode
// and writes what it did to test/fixtures/bmo/. See docs/bmo-conformance.md.
//
//   BMO_PATH       the operator binary (required)
//   BMO_SRC        its source checkout: CRDs from config/base/crds/bases, version from git when a checkout
//   BMO_CRDS       a folder of its CRDs instead (one of BMO_SRC and BMO_CRDS is required)
//   BMO_VERSION, BMO_COMMIT   what to write in the fixtures' README when BMO_SRC is not a git checkout
//   BMO_SCENARIOS  comma-separated scenario names to record (default: all)
//   BMO_OUT        output folder (default test/fixtures/bmo)
//   BMO_KEEP=1     keep the temporary folder with BMO's, etcd's and the API server's logs
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { installCrds } from '../devstack/installCrds.js';
import { projectRoot } from '../devstack/devstack.js';
import { resolveTool } from '../devstack/resolveTool.js';
import { runCommand } from '../devstack/runCommand.js';
import { startEtcd } from '../devstack/startEtcd.js';
import { startKubeApiserver } from '../devstack/startKubeApiserver.js';
import { loadKubeConfig } from '../k8s/kubeClient.js';
import { normalizeRun } from '../test/support/bmoConformance/normalize.js';
import { recordingsReadme } from '../test/support/bmoConformance/recordingsReadme.js';
import { removeScenarioHost, runScenario, ScenarioRaceError } from '../test/support/bmoConformance/runScenario.js';
import { SCENARIOS, type Scenario } from '../test/support/bmoConformance/scenarios.js';
import { startBmo } from '../test/support/bmoConformance/startBmo.js';

const binary = process.env.BMO_PATH;
const source = process.env.BMO_SRC;
const crdDir = process.env.BMO_CRDS ?? (source ? join(source, 'config', 'base', 'crds', 'bases') : undefined);
if (!binary || !crdDir) {
  process.stderr.write('record-bmo: set BMO_PATH to the operator binary and BMO_SRC (or BMO_CRDS) to its CRDs\n');
  process.exit(2);
}
const wanted = process.env.BMO_SCENARIOS?.split(',').filter(Boolean);
const scenarios = SCENARIOS.filter((s) => !wanted || wanted.includes(s.name));
const outDir = process.env.BMO_OUT ?? join(projectRoot, 'test', 'fixtures', 'bmo');
const started = Date.now();
const progress = (line: string) =>
  process.stderr.write(`[record-bmo ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);

const version = process.env.BMO_VERSION ?? (await gitOutput(['describe', '--tags', '--exact-match']));
const commit = process.env.BMO_COMMIT ?? (await gitOutput(['rev-parse', 'HEAD']));

const dir = await mkdtemp(join(tmpdir(), 'metal3-provider-record-bmo-'));
const etcd = await startEtcd((await resolveTool('etcd', progress)).path, dir);
let failed = false;
try {
  const apiserver = await startKubeApiserver((await resolveTool('kube-apiserver', progress)).path, etcd.clientUrl, dir);
  try {
    const kubeConfig = loadKubeConfig(apiserver.kubeconfigPath);
    progress(`installing BMO's CRDs: ${(await installCrds(kubeConfig, crdDir)).join(', ')}`);
    await mkdir(outDir, { recursive: true });
    for (const scenario of scenarios) {
      // A void run (the operator moved on before a timed step landed) is recorded again with a fresh
      // operator: the fixture provisioner keeps state for the life of its process.
      for (let attempt = 1; attempt <= 3; attempt++) {
        const outcome = await recordScenario(kubeConfig, apiserver.kubeconfigPath, scenario, attempt);
        if (outcome === 'void' && attempt < 3) continue;
        if (outcome !== 'recorded') failed = true;
        break;
      }
    }
    if (!wanted) {
      await writeFile(join(outDir, 'README.md'), recordingsReadme({ version, commit, scenarios }));
    }
  } finally {
    await apiserver.process.stop();
  }
} finally {
  await etcd.process.stop();
  if (failed || process.env.BMO_KEEP === '1') progress(`logs kept in ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

async function recordScenario(
  kubeConfig: KubeConfig,
  kubeconfigPath: string,
  scenario: Scenario,
  attempt: number,
): Promise<'recorded' | 'void' | 'failed'> {
  const namespace = `bmo-${scenario.name}${attempt > 1 ? `-${attempt}` : ''}`;
  await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  const bmo = await startBmo({ binary: binary ?? '', kubeconfigPath, namespace, logDir: dir });
  try {
    const recording = normalizeRun(await runScenario(kubeConfig, namespace, scenario, progress));
    await writeFile(join(outDir, `${scenario.name}.json`), `${JSON.stringify(recording, null, 2)}\n`);
    progress(`${scenario.name}: ${recording.host.states.map((s) => s || '(none)').join(' → ')}`);
    return 'recorded';
  } catch (err) {
    progress(`${scenario.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof ScenarioRaceError) return 'void';
    progress(`BMO's log: ${await bmo.logTail(40)}`);
    return 'failed';
  } finally {
    const { finalizersStripped } = await removeScenarioHost(kubeConfig, namespace, scenario.name, 120_000);
    if (finalizersStripped) progress(`${scenario.name}: BMO did not finish deleting the host; finalizers stripped`);
    await bmo.stop();
  }
}

async function gitOutput(args: string[]): Promise<string> {
  if (!source) return 'unknown';
  const result = await runCommand('git', ['-C', source, ...args]).catch(() => undefined);
  return result?.code === 0 ? result.stdout.trim() : 'unknown';
}
