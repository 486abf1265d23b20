import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../devstack/devstack.js';
import { freePort } from '../../../devstack/freePort.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { useMachineStack } from '../../support/machineStack.js';

// One real provisioning worker process (the CLI, as in production) serves a Machine whose user-data
// template never ends and ten ordinary Machines at once. Rendering runs in the worker's render
// threads, so the runaway template only costs one thread its deadline: the others reach Ready, the
// runaway Machine is Stuck with a message naming the limit and the template position, and the worker
// process itself never exits.
const NORMAL = 10;
const stack = useMachineStack({ hosts: NORMAL + 1, worker: false });

/** A loop the step budget would allow (it is raised below), so only the deadline can stop it. */
const RUNAWAY = '#cloud-config\nruncmd:\n- echo {{ range $i := 1000000000000 }}{{ end }}\n';
const ORDINARY = '#cloud-config\nruncmd:\n- echo "provisioning {{ .NodeClaim.Name }}"\n';

function startWorker(metricsPort: number): ChildProcess {
  return spawn(
    process.execPath,
    [
      join(projectRoot, 'bin', 'metal3-provider.js'),
      'worker',
      'provisioning',
      '--task-queue',
      stack.env.taskQueue,
      '--metrics-address',
      `127.0.0.1:${metricsPort}`,
      '--template-max-steps',
      '1000000000000',
    ],
    {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: stack.env.temporal.address,
        TEMPORAL_NAMESPACE: stack.env.temporal.namespace,
        KUBECONFIG: stack.env.kubeconfigPath,
        // The default deadline, set explicitly as an operator would, through the environment.
        METAL3_PROVIDER_TEMPLATE_TIMEOUT: '2s',
      },
      stdio: 'ignore',
    },
  );
}

describe('a runaway template among ordinary Machines', () => {
  it('is stopped at its deadline while ten other Machines reach Ready on the same worker process', async () => {
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await expect
      .poll(
        async () => (await hosts.list()).items.filter((h) => h.status?.provisioning?.state === 'available').length,
        { timeout: 60_000 },
      )
      .toBe(NORMAL + 1);

    const worker = startWorker(await freePort());
    const exits: (number | string | null)[] = [];
    worker.on('exit', (code, signal) => exits.push(signal ?? code));
    try {
      // The runaway Machine first, so that its rendering is under way while the others render.
      await stack.client.provisionMachine(stack.claim('runaway', { 'vcluster.com/user-data-template': RUNAWAY }));
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
