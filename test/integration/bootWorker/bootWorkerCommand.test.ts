import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../devstack/devstack.js';
import { runCommand } from '../../../devstack/runCommand.js';
import { useTestEnv } from '../../support/testEnv.js';

// `metal3-provider worker boot` as a process: envconfig for Temporal, flags for the rest. It goes
// ready, serves its metrics and the Temporal worker's, and stops cleanly on SIGTERM.
const env = useTestEnv();
const PORTS = { dhcp: 24067, tftp: 24069, http: 24080, callback: 24081, metrics: 24465, temporalMetrics: 24466 };
const health = `http://127.0.0.1:${PORTS.metrics}`;
let child: ChildProcess | undefined;
let stderr = '';

async function status(url: string): Promise<number | string> {
  try {
    return (await fetch(url)).status;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

afterAll(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
});

describe('metal3-provider worker boot', () => {
  it('goes ready, serves boot and Temporal metrics, and stops on SIGTERM', async () => {
    child = spawn(
      process.execPath,
      [
        join(projectRoot, 'bin', 'metal3-provider.js'),
        'worker',
        'boot',
        ...['--set', 'dhcp.serverIP=127.0.0.1', '--set', `dhcp.listenAddr=127.0.0.1:${PORTS.dhcp}`],
        ...['--set', `tftp.listenAddr=127.0.0.1:${PORTS.tftp}`, '--set', `http.listenAddr=127.0.0.1:${PORTS.http}`],
        ...['--set', `http.advertiseUrl=http://127.0.0.1:${PORTS.http}`],
        ...['--set', `proxy.callbackListenAddr=127.0.0.1:${PORTS.callback}`],
        ...['--set', `proxy.callbackAdvertiseUrl=http://127.0.0.1:${PORTS.callback}`],
        ...['--set', 'proxy.ironicHttpUrl=http://127.0.0.1:9', '--set', 'proxy.ironicApiUrl=http://127.0.0.1:9'],
        ...['--boot-files-dir', mkdtempSync(join(tmpdir(), 'boot-worker-cli-'))],
        ...['--watch-namespace', env.namespace, '--kubeconfig', env.kubeconfigPath, '--helm', env.helmPath],
        ...['--metrics-address', `127.0.0.1:${PORTS.metrics}`],
        ...['--temporal-metrics-address', `127.0.0.1:${PORTS.temporalMetrics}`],
        ...['--task-queue', env.taskQueue, '--log-level', 'warn'],
      ],
      {
        env: { ...process.env, TEMPORAL_ADDRESS: env.temporal.address, TEMPORAL_NAMESPACE: env.temporal.namespace },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.resume();
    // Without a prebuilt bundle the worker bundles the workflows at start, which takes a while.
    await expect.poll(() => status(`${health}/readyz`), { timeout: 110_000, interval: 500 }).toBe(200);
    const metrics = await (await fetch(`${health}/metrics`)).text();
    expect(metrics).toContain('metal3_boot_dhcp_received_total 0\n');
    expect(metrics).toContain('metal3_boot_tftp_requests_total 0\n');
    expect(await status(`http://127.0.0.1:${PORTS.temporalMetrics}/metrics`)).toBe(200);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(await status(`${health}/healthz`)).not.toBe(200);
  }, 180_000);

  it('refuses a bad configuration before anything binds, listing every problem (boot-server too)', async () => {
    const bad = ['--set', 'dhcp.serverIP=not-an-address', '--set', 'tftp.port=70000', '--tftp-busy-poll', 'soon'];
    for (const command of [['worker', 'boot'], ['boot-server']]) {
      const result = await runCommand(
        process.execPath,
        [join(projectRoot, 'bin', 'metal3-provider.js'), ...command, ...bad],
        {
          env: { ...process.env, TEMPORAL_ADDRESS: env.temporal.address },
        },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('boot server configuration has 5 problem(s)');
      for (const field of [
        'dhcp.serverIP: "not-an-address"',
        'tftp.port: "70000"',
        'proxy.ironicHttpUrl',
        '--tftp-busy-poll: "soon"',
      ])
        expect(result.stderr).toContain(field);
    }
  }, 60_000);
});
