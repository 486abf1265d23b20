import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../devstack/devstack.js';
import { runCommand } from '../../../devstack/runCommand.js';
import { useMachineStack } from '../../support/machineStack.js';

// `machine list` ends with a summary per phase and node type; `--watch` lists again until Ctrl-C.
const stack = useMachineStack({ hosts: 1 });
const env = () => ({
  ...process.env,
  TEMPORAL_ADDRESS: stack.env.temporal.address,
  TEMPORAL_NAMESPACE: stack.env.temporal.namespace,
  KUBECONFIG: stack.env.kubeconfigPath,
});
const bin = join(projectRoot, 'bin', 'metal3-provider.js');

describe('metal3-provider machine list', () => {
  it('sums the Machines per phase and node type, and --watch follows until SIGINT', async () => {
    await stack.client.provisionMachine(stack.claim('listed'));
    await stack.waitForPhase('listed', 'Ready', 120_000);
    const machine = `${stack.env.namespace}/listed`;
    const summaryRow = /^Ready\s+compute-node\s+(\d+)$/m;

    await expect
      .poll(
        async () =>
          (await runCommand(process.execPath, [bin, 'machine', 'list', '--phase', 'Ready'], { env: env() })).stdout,
        {
          timeout: 30_000,
        },
      )
      .toContain(machine);
    const once_ = await runCommand(process.execPath, [bin, 'machine', 'list', '--phase', 'Ready'], { env: env() });
    expect(once_.code).toBe(0);
    expect(once_.stdout).toMatch(/^PHASE\s+NODE TYPE\s+MACHINES$/m);
    expect(Number(summaryRow.exec(once_.stdout)?.[1])).toBeGreaterThanOrEqual(1);
    expect(once_.stdout).toMatch(/^total\s+\d+$/m);

    const watching = spawn(process.execPath, [bin, 'machine', 'list', '--phase', 'Ready', '--watch', '1'], {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    watching.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    watching.stderr.resume();
    try {
      await expect.poll(() => out, { timeout: 30_000 }).toContain(machine);
      await stack.client.releaseMachine({ namespace: stack.env.namespace, name: 'listed' });
      // Off a terminal a listing is printed again once it changed: the Machine leaves Ready.
      await expect
        .poll(() => out.split(/^\d{4}-\d\d-\d\dT\S+Z$/m).at(-1) ?? '', { timeout: 60_000 })
        .not.toContain(machine);
    } finally {
      const exited = once(watching, 'exit');
      watching.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
    }
  }, 240_000);
});
