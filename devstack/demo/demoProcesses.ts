import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DevstackEndpoints } from '../devstack.js';
import { projectRoot } from '../devstack.js';
import { freePort } from '../freePort.js';
import { ManagedProcess } from '../managedProcess.js';
import { DEMO_NAMESPACE } from './demoHosts.js';

const IPXE_DIR = '/usr/lib/ipxe';

export interface DemoProcesses {
  processes: ManagedProcess[];
  logDir: string;
  /** Why the boot worker was left out, when it was. */
  bootWorkerSkipped?: string;
  bootHealthUrl?: string;
  stop(): Promise<void>;
}

/**
 * The product's own entry points as child processes, wired to the devstack the way a deployment
 * wires them to a cluster: Temporal through envconfig variables, the cluster through KUBECONFIG.
 */
export async function startDemoProcesses(stack: DevstackEndpoints, simDelayMs: number): Promise<DemoProcesses> {
  const logDir = join(stack.dir, 'demo-logs');
  await mkdir(logDir, { recursive: true });
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: stack.temporalNamespace,
    KUBECONFIG: stack.kubeconfigPath,
    HELM_PATH: stack.helmPath,
    SERVER_IP: '127.0.0.1',
  };
  const cli = join(projectRoot, 'bin', 'metal3-provider.js');
  const processes: ManagedProcess[] = [];
  const start = (name: string, args: string[]): ManagedProcess => {
    const started = ManagedProcess.start(name, process.execPath, [cli, ...args], join(logDir, `${name}.log`), env);
    processes.push(started);
    return started;
  };
  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stop()));
  };
  try {
    start('simulator', ['sim', '--namespace', DEMO_NAMESPACE, '--delay-ms', String(simDelayMs)]);
    start('provisioning-worker', ['worker', 'provisioning', '--metrics-address', `127.0.0.1:${await freePort()}`]);
    start('controller', ['controller', '--namespace', 'all', '--lease-namespace', DEMO_NAMESPACE]);
    const result: DemoProcesses = { processes, logDir, stop };
    if (existsSync(IPXE_DIR)) {
      const [dhcp, tftp, http, callback, health, metrics] = await Promise.all(
        Array.from({ length: 6 }, () => freePort()),
      );
      // Unprivileged loopback ports: the demo never answers DHCP on a real network.
      const boot = start('boot-worker', [
        'worker',
        'boot',
        '--watch-namespace',
        DEMO_NAMESPACE,
        ...['dhcp.serverIP=127.0.0.1', `dhcp.port=${dhcp}`, `dhcp.listenAddr=127.0.0.1:${dhcp}`]
          .concat([`tftp.port=${tftp}`, `tftp.listenAddr=127.0.0.1:${tftp}`])
          .concat([`http.port=${http}`, `http.listenAddr=127.0.0.1:${http}`])
          .concat([`proxy.callbackPort=${callback}`, `proxy.callbackListenAddr=127.0.0.1:${callback}`])
          .concat(['proxy.ironicHttpUrl=http://127.0.0.1:6180'])
          .flatMap((value) => ['--set', value]),
        '--metrics-address',
        `127.0.0.1:${health}`,
        '--temporal-metrics-address',
        `127.0.0.1:${metrics}`,
      ]);
      result.bootHealthUrl = `http://127.0.0.1:${health}`;
      // From sources the worker bundles its workflow code before it is ready: on a loaded 2-core
      // machine, next to the provisioning worker doing the same, that alone has taken over a minute.
      await boot.waitUntilReady(async () => (await fetch(`${result.bootHealthUrl}/readyz`)).ok, 180_000);
    } else {
      result.bootWorkerSkipped = `no iPXE binaries in ${IPXE_DIR} (install the ipxe package to run the boot worker)`;
    }
    return result;
  } catch (err) {
    await stop();
    throw err;
  }
}
