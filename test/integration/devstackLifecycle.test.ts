import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../devstack/devstack.js';
import type { DevstackState } from '../../devstack/stateFile.js';
import { runCommand } from '../../devstack/runCommand.js';

const cli = join(projectRoot, 'bin', 'metal3-provider.js');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('metal3-provider devstack up', () => {
  it('prints its endpoints, serves env, and leaves no process or file behind after Ctrl-C', async () => {
    const stateFile = join(await mkdtemp(join(tmpdir(), 'devstack-state-')), 'state.json');
    const env = { ...process.env, METAL3_DEVSTACK_STATE: stateFile };
    const up = spawn(process.execPath, [cli, 'devstack', 'up'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    up.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => up.on('exit', resolve));

    await expect.poll(() => stdout, { timeout: 120_000, interval: 250 }).toContain('Press Ctrl-C to stop.');
    expect(stdout).toMatch(/Temporal Web UI: +http:\/\/127\.0\.0\.1:\d+/);
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as DevstackState;
    expect(Object.keys(state.pids).sort()).toEqual(['etcd', 'kube-apiserver', 'temporal']);
    for (const pid of Object.values(state.pids)) expect(isAlive(pid)).toBe(true);

    const printed = await runCommand(process.execPath, [cli, 'devstack', 'env'], { env });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(`export KUBECONFIG=${state.kubeconfigPath}`);
    expect(printed.stdout).toContain(`export TEMPORAL_ADDRESS=${state.temporalAddress}`);

    up.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const pid of Object.values(state.pids)) expect(isAlive(pid)).toBe(false);
    expect(existsSync(state.dir)).toBe(false);
    expect(existsSync(stateFile)).toBe(false);
  });
});
