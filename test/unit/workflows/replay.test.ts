import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { historyFixturesDir } from '../../support/recordHistory.js';

// Histories of real runs on the devstack (recorded by the machine integration tests with
// METAL3_RECORD_HISTORIES=1). Replaying them against today's workflow code fails on any change
// that is not guarded by patched(): such a change would break Machines already running.
describe('machineLifecycle determinism', () => {
  it('replays every recorded history without nondeterminism', async () => {
    const files = (await readdir(historyFixturesDir)).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'cancel-mid-provision.json',
        'provision-and-release.json',
        'retry-on-other-host.json',
        'stuck-then-retry.json',
        // Waits of the short steps (local activities), a lost host, and the phase stamps.
        'waiting-for-host-then-ready.json',
        'pinned-host-held-then-freed.json',
        'pinned-host-in-error-then-fixed.json',
        'address-pool-exhausted-then-freed.json',
        'host-lost-other-host.json',
        // A template past a limit: Stuck, a retry that renders again, then the operator's release.
        'render-limit-stuck-then-released.json',
        // Recorded before the short steps became local activities: Machines started then must go on.
        'cancel-mid-provision.before-local-steps.json',
        'provision-and-release.before-local-steps.json',
        'retry-on-other-host.before-local-steps.json',
        'stuck-then-retry.before-local-steps.json',
        // A Machine's two runs since Ready continues as new (versioned workers; replay ignores the build).
        'provision-then-continue-ready.json',
        'ready-run-released.json',
        // Provisioning runs that fold writes: the lease with the configure step, the attributes with the phase.
        'provision-folded-writes.json',
        'stuck-then-retry.folded-writes.json',
        'ready-run-folded-writes.json',
      ]),
    );
    const { code } = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../../../workflows/index.ts', import.meta.url)),
      logger: {
        log: () => undefined,
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: console.error,
      },
    });
    async function* histories() {
      for (const file of files) {
        const history = historyFromJSON(JSON.parse(await readFile(join(historyFixturesDir, file), 'utf8')));
        yield { workflowId: file, history };
      }
    }
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { code } }, histories())) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
