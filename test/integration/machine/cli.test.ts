import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { useMachineStack } from '../../support/machineStack.js';
import { runCli } from '../../support/workerProcess.js';

const stack = useMachineStack({ hosts: 2 });

/** Runs the real CLI against the devstack, configured the way users do: envconfig variables and KUBECONFIG. */
const cli = (...args: string[]) => runCli(stack.env, ...args);

describe('metal3-provider machine', () => {
  it('provisions with --wait, shows status and the list, and releases with --wait', async () => {
    // The CLI starts workflows on the product's task queue; this file's worker listens on its own.
    const file = join(tmpdir(), `claim-${stack.env.namespace}.yaml`);
    await writeFile(file, stringify(stack.claim('cli-m1')));
    const handle = await stack.client.provisionMachine(stack.claim('cli-m1'));
    const provision = await cli('machine', 'provision', '-f', file, '-n', stack.env.namespace, '--wait');
    expect(provision.stderr).toBe('');
    expect(provision.stdout).toContain(`started machine/${stack.env.namespace}/cli-m1`);
    expect(provision.stdout).toMatch(/cli-m1: Ready/);
    expect(provision.code).toBe(0);

    const status = await cli('machine', 'status', 'cli-m1', '-n', stack.env.namespace);
    expect(status.stdout).toMatch(/Phase: +Ready/);
    expect(status.stdout).toContain('vcluster.com/os-image=');

    await expect
      .poll(async () => (await cli('machine', 'list', '--phase', 'Ready')).stdout, { timeout: 20_000 })
      .toContain(`${stack.env.namespace}/cli-m1`);
    const bad = await cli('machine', 'list', '--phase', 'Broken');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--phase Broken is not a phase');

    const release = await cli('machine', 'release', 'cli-m1', '-n', stack.env.namespace, '--wait');
    expect(release.stdout).toContain('release requested');
    expect(release.stdout.trim().endsWith('Released')).toBe(true);
    expect((await handle.result()).phase).toBe('Released');
  });
});
