import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../devstack/devstack.js';
import { runCommand } from '../../../devstack/runCommand.js';
import { useMachineStack } from '../../support/machineStack.js';
import { kill, reclaim } from './reclaimKit.js';

const stack = useMachineStack({ hosts: 2 });

/** `metal3-provider check` as an operator runs it, against this file's namespace. */
async function check(): Promise<{ code: number; out: string }> {
  const result = await runCommand(
    process.execPath,
    [join(projectRoot, 'bin', 'metal3-provider.js'), 'check', '--namespace', stack.env.namespace],
    {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: stack.env.temporal.address,
        TEMPORAL_NAMESPACE: stack.env.temporal.namespace,
        KUBECONFIG: stack.env.kubeconfigPath,
      },
    },
  );
  return { code: result.code, out: result.stdout + result.stderr };
}

describe('metal3-provider check', () => {
  it('passes a healthy fleet, names every orphan a lost workflow leaves, and passes again after a reclaim', async () => {
    const network = { 'metal3.vcluster.com/network-cidr': '10.80.0.1/24' };
    const machine = await stack.client.provisionMachine(stack.claim('checked', network));
    const ready = await stack.waitForPhase('checked', 'Ready');

    const healthy = await check();
    expect(healthy.out).toContain('all invariants hold');
    expect(healthy.out).toMatch(/2 hosts, 1 address allocations, \d+ Machine Secrets, 1 Machines; \d+ checks/);
    expect(healthy.code).toBe(0);

    await kill(machine);
    const broken = await check();
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(
      `FAIL host-consumer-running: a host consumed by one of our Machines belongs to a Machine whose workflow runs\n` +
        `       BareMetalHost/${stack.env.namespace}/${ready.host ?? ''}: consumed by Machine ${stack.env.namespace}/checked`,
    );
    expect(broken.out).toContain(`FAIL allocation-machine-running`);
    expect(broken.out).toContain(
      `holds ${ready.address?.split('/')[0] ?? ''} for Machine ${stack.env.namespace}/checked`,
    );
    expect(broken.out).toContain(`FAIL secret-machine-running`);
    expect(broken.out).toContain('ok   host-one-consumer');

    await reclaim(stack);
    const repaired = await check();
    expect(repaired.out).toContain('all invariants hold');
    expect(repaired.code).toBe(0);
  });
});
