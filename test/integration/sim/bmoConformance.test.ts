import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../devstack/devstack.js';
import { classifyApiError } from '../../../k8s/apiErrors.js';
import { startSimulator, type Simulator } from '../../../sim/controller.js';
import { compareRecordings } from '../../support/bmoConformance/compare.js';
import { CONFORMANCE_SIM_CONFIG, NOT_REPRODUCED } from '../../support/bmoConformance/notReproduced.js';
import { normalizeRun, type Recording } from '../../support/bmoConformance/normalize.js';
import { removeScenarioHost, runScenarioUntilValid } from '../../support/bmoConformance/runScenario.js';
import { SCENARIOS } from '../../support/bmoConformance/scenarios.js';
import { useTestEnv } from '../../support/testEnv.js';

const env = useTestEnv();
const recordingsDir = join(projectRoot, 'test', 'fixtures', 'bmo');
let sim: Simulator;
const used = new Set<string>();

beforeAll(() => {
  sim = startSimulator({
    kubeConfig: env.kubeConfig,
    namespace: env.namespace,
    config: CONFORMANCE_SIM_CONFIG,
    maxIdleMs: 500,
    onError: (err) => {
      const { kind, message } = classifyApiError(err);
      if (kind !== 'transient') console.warn(`simulator: ${message}`);
    },
  });
});
afterAll(async () => {
  // The simulator removes the finalizers it put on; it runs until every host is gone.
  for (const scenario of SCENARIOS) await removeScenarioHost(env.kubeConfig, env.namespace, scenario.name, 30_000);
  await sim.stop();
});

/**
 * The scenarios of `npm run record-bmo` against the simulator, compared with what the real Bare
 * Metal Operator did (test/fixtures/bmo/). Each host has a name of its own, so they run side by side.
 */
describe('the simulator conforms to the recordings of BMO', () => {
  it.concurrent.each(SCENARIOS.map((s) => [s.name, s] as const))(
    '%s',
    async (_name, scenario) => {
      const recorded = JSON.parse(await readFile(join(recordingsDir, `${scenario.name}.json`), 'utf8')) as Recording;
      const run = await runScenarioUntilValid(env.kubeConfig, env.namespace, scenario, {
        attempts: 3,
        removeTimeoutMs: 30_000,
      });
      const simulated = normalizeRun(run);
      const { mismatches, used: excused } = compareRecordings(recorded, simulated, NOT_REPRODUCED);
      for (const id of excused) used.add(id);
      expect(mismatches, `differences from BMO in ${scenario.name}:\n  ${mismatches.join('\n  ')}`).toEqual([]);
    },
    240_000,
  );

  it('every listed difference shows up in some scenario (the list is not stale)', () => {
    const stale = NOT_REPRODUCED.map((d) => d.id).filter((id) => !used.has(id));
    expect(stale).toEqual([]);
  });
});
