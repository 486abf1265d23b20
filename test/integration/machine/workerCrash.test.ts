import { describe, expect, it } from 'vitest';
import { freePort } from '../../../devstack/freePort.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { useMachineStack } from '../../support/machineStack.js';
import { SeededRandom } from '../../support/seededRandom.js';
import { killWorker, startProvisioningWorker } from '../../support/workerProcess.js';

// Real worker processes (the CLI), killed with SIGKILL at seeded-random moments while 20 Machines
// provision, and replaced by new ones: every Machine must still reach Ready, with no host taken twice.
const stack = useMachineStack({ hosts: 20, simDelayMs: 700, worker: false });
const MACHINES = 20;

const startWorker = (metricsPort: number) => startProvisioningWorker(stack.env, { metricsPort });

describe('provisioning worker crashes', () => {
  it('20 concurrent provisions survive SIGKILLed workers: all Ready, one consumer per host', async () => {
    const random = new SeededRandom(20_261_123);
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await expect
      .poll(
        async () => (await hosts.list()).items.filter((h) => h.status?.provisioning?.state === 'available').length,
        {
          timeout: 60_000,
        },
      )
      .toBe(MACHINES);

    const names = Array.from({ length: MACHINES }, (_, i) => `crash-${i}`);
    await Promise.all(names.map((name) => stack.client.provisionMachine(stack.claim(name))));
    let worker = startWorker(await freePort());
    // Visibility, not queries: a query needs a live worker, and workers die here on purpose.
    const readyCount = async () =>
      (await stack.client.listMachines({ phase: 'Ready' })).filter((m) =>
        m.machine.startsWith(`${stack.env.namespace}/crash-`),
      ).length;
    try {
      for (let kills = 0; kills < 3; kills++) {
        await new Promise((r) => setTimeout(r, 8_000 + random.next() * 8_000));
        await killWorker(worker);
        worker = startWorker(await freePort());
      }
      const metricsPort = await freePort();
      await killWorker(worker);
      worker = startWorker(metricsPort);
      await expect.poll(readyCount, { timeout: 240_000, interval: 2_000 }).toBe(MACHINES);

      const consumers = (await hosts.list()).items.flatMap((h) =>
        h.spec.consumerRef ? [h.spec.consumerRef.name] : [],
      );
      expect(consumers.sort()).toEqual([...names].sort());

      await Promise.all(names.map((name) => stack.client.releaseMachine({ namespace: stack.env.namespace, name })));
      const results = await Promise.all(
        names.map((name) => stack.client.handle({ namespace: stack.env.namespace, name }).result()),
      );
      expect(results.every((r) => r.phase === 'Released')).toBe(true);
      expect((await hosts.list()).items.filter((h) => h.spec.consumerRef)).toEqual([]);
      // Read after the release, which only the last worker can have run: the Machines may all have
      // been Ready before it started, and then it would have entered no phase yet.
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/metal3_machine_phase_entries\w*\{[^}]*phase="Released"/);
    } finally {
      await killWorker(worker);
    }
  }, 480_000);
});
