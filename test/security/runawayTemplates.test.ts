import { describe, expect, it } from 'vitest';
import { freePort } from '../../devstack/freePort.js';
import { createBareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { useMachineStack } from '../support/machineStack.js';
import { startProvisioningWorker } from '../support/workerProcess.js';

/**
 * Attack: a tenant's user-data template that never ends, and one that allocates without end, to stall
 * or crash the worker that serves every tenant. Expected: each stops at a limit (time, memory) with a
 * message naming the limit and the template position and none of its text, its Machine is Stuck, ten
 * ordinary Machines on the same worker process reach Ready, and the worker process never exits.
 *
 * One real provisioning worker process (the CLI, as in production); rendering runs in its render
 * threads, so a runaway template costs only one thread.
 */
const NORMAL = 10;
const stack = useMachineStack({ hosts: NORMAL + 2, worker: false });

/** A loop the step budget would allow (it is raised below), so only the deadline can stop it. */
const RUNAWAY = '#cloud-config\nruncmd:\n- echo {{ range $i := 1000000000000 }}{{ end }}\n';
/** Lists of lists of strings, doubling: only the render thread's heap limit (or the deadline) stops it. */
const HOG =
  '#cloud-config\n{{ $l := list }}{{ range 100000 }}{{ $l = list $l (splitList "" (repeat 100000 "ab")) }}{{ end }}\n';
const ORDINARY = '#cloud-config\nruncmd:\n- echo "provisioning {{ .NodeClaim.Name }}"\n';

const startWorker = (metricsPort: number) =>
  startProvisioningWorker(stack.env, {
    metricsPort,
    args: ['--template-max-steps', '1000000000000'],
    // The default deadline, set explicitly as an operator would, through the environment.
    env: { METAL3_PROVIDER_TEMPLATE_TIMEOUT: '2s' },
  });

describe('runaway templates among ordinary Machines', () => {
  it('are stopped at their limits while ten other Machines reach Ready on the same worker process', async () => {
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await expect
      .poll(
        async () => (await hosts.list()).items.filter((h) => h.status?.provisioning?.state === 'available').length,
        { timeout: 60_000 },
      )
      .toBe(NORMAL + 2);

    const worker = startWorker(await freePort());
    const exits: (number | string | null)[] = [];
    worker.on('exit', (code, signal) => exits.push(signal ?? code));
    try {
      // The runaway Machine first, so that its rendering is under way while the others render.
      await stack.client.provisionMachine(stack.claim('runaway', { 'vcluster.com/user-data-template': RUNAWAY }));
      await stack.client.provisionMachine(stack.claim('hog', { 'vcluster.com/user-data-template': HOG }));
      const names = Array.from({ length: NORMAL }, (_, i) => `ordinary-${i}`);
      await Promise.all(
        names.map((name) =>
          stack.client.provisionMachine(stack.claim(name, { 'vcluster.com/user-data-template': ORDINARY })),
        ),
      );

      const ready = await Promise.all(names.map((name) => stack.waitForPhase(name, 'Ready', 240_000)));
      expect(ready.map((status) => status.phase)).toEqual(names.map(() => 'Ready'));

      // Where the runaway Machine ended up, and what it says: the limit and the template position,
      // never the template's text.
      const runawayRef = { namespace: stack.env.namespace, name: 'runaway' };
      await expect
        .poll(async () => (await stack.client.getMachineStatus(runawayRef))?.details ?? '', { timeout: 120_000 })
        .toMatch(/at vcluster\.com\/user-data-template:3:\d+: exceeded the time limit of 2000 ms/);
      const runaway = await stack.client.getMachineStatus(runawayRef);
      expect(runaway?.details).toContain('vcluster.com/user-data-template (set in NodeClaim');
      expect(runaway?.details).not.toContain('1000000000000');
      expect(runaway?.steps.find((step) => step.step === 'writeMachineData')?.outcome).toBe('failed');
      expect(runaway?.phase).toBe('Stuck');

      const hogRef = { namespace: stack.env.namespace, name: 'hog' };
      await expect
        .poll(async () => (await stack.client.getMachineStatus(hogRef))?.phase, { timeout: 120_000 })
        .toBe('Stuck');
      const hog = await stack.client.getMachineStatus(hogRef);
      // Which limit stops it first depends on the machine's speed; either is named with the position.
      expect(hog?.details).toMatch(/at vcluster\.com\/user-data-template:2:\d+: exceeded the (memory|time) limit of /);
      expect(hog?.details).not.toContain('splitList');

      // Still the first worker process: nothing above took it down or made it restart.
      expect(exits).toEqual([]);
      expect(worker.exitCode).toBeNull();
      expect(worker.signalCode).toBeNull();
    } finally {
      if (worker.exitCode === null && worker.signalCode === null) {
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.kill('SIGTERM');
        await exited;
      }
    }
  }, 480_000);
});
