import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../devstack/devstack.js';
import { applyManifests } from '../../../devstack/demo/applyManifests.js';
import { ManagedProcess } from '../../../devstack/managedProcess.js';
import { runCommand } from '../../../devstack/runCommand.js';
import type { DevstackState } from '../../../devstack/stateFile.js';
import { loadKubeConfig } from '../../../k8s/kubeClient.js';

const cli = join(projectRoot, 'bin', 'metal3-provider.js');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('devstack up --temporal=postgres', () => {
  it('runs a Machine from provision to release on the Temporal server with PostgreSQL, and leaves nothing behind', async () => {
    const work = await mkdtemp(join(tmpdir(), 'devstack-postgres-'));
    const stateFile = join(work, 'state.json');
    const env = { ...process.env, METAL3_DEVSTACK_STATE: stateFile };
    const up = spawn(process.execPath, [cli, 'devstack', 'up', '--temporal=postgres'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    up.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => up.on('exit', resolve));
    const workers: ManagedProcess[] = [];
    try {
      await expect.poll(() => stdout, { timeout: 180_000, interval: 250 }).toContain('Press Ctrl-C to stop.');
      expect(stdout).toContain('Temporal backend:  Temporal server on PostgreSQL');
      const state = JSON.parse(await readFile(stateFile, 'utf8')) as DevstackState;
      expect(Object.keys(state.pids).sort()).toEqual(['etcd', 'kube-apiserver', 'postgres', 'temporal-server']);

      // Workers reach the server exactly as they reach any Temporal cluster: through envconfig variables.
      const processEnv = {
        ...process.env,
        TEMPORAL_ADDRESS: state.temporalAddress,
        TEMPORAL_NAMESPACE: state.temporalNamespace,
        KUBECONFIG: state.kubeconfigPath,
      };
      const kubeConfig = loadKubeConfig(state.kubeconfigPath);
      await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'metal3-system' } } });
      await applyManifests(kubeConfig, join(projectRoot, 'examples', 'metal3-provider.yaml'));
      const start = (name: string, args: string[]): void => {
        workers.push(
          ManagedProcess.start(name, process.execPath, [cli, ...args], join(work, `${name}.log`), processEnv),
        );
      };
      start('simulator', ['sim', '--hosts', '1', '--label', 'role=compute', '--delay-ms', '50']);
      start('provisioning-worker', ['worker', 'provisioning']);

      const claimFile = join(work, 'claim.yaml');
      await writeFile(
        claimFile,
        [
          'apiVersion: management.loft.sh/v1',
          'kind: NodeClaim',
          'metadata:',
          '  name: pg-node-1',
          'spec:',
          '  providerRef: metal3-provider',
          '  typeRef: compute-node',
        ].join('\n'),
      );
      const provisioned = await runCommand(process.execPath, [cli, 'machine', 'provision', '-f', claimFile, '--wait'], {
        env: processEnv,
      });
      expect(provisioned.stderr + provisioned.stdout).toMatch(/Ready/);
      expect(provisioned.code).toBe(0);

      const released = await runCommand(process.execPath, [cli, 'machine', 'release', 'pg-node-1'], {
        env: processEnv,
      });
      expect(released.code).toBe(0);
      await expect
        .poll(
          async () => {
            const status = await runCommand(process.execPath, [cli, 'machine', 'status', 'pg-node-1', '--json'], {
              env: processEnv,
            });
            return (JSON.parse(status.stdout || '{}') as { phase?: string }).phase;
          },
          { timeout: 120_000, interval: 1000 },
        )
        .toBe('Released');

      await Promise.all(workers.map((w) => w.stop()));
      up.kill('SIGINT');
      expect(await exited).toBe(0);
      for (const pid of Object.values(state.pids)) expect(isAlive(pid)).toBe(false);
      expect(existsSync(state.dir)).toBe(false);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      if (up.exitCode === null) up.kill('SIGINT');
    }
  }, 300_000);
});
