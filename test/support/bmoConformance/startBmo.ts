import { join } from 'node:path';
import { freePort } from '../../../devstack/freePort.js';
import { ManagedProcess } from '../../../devstack/managedProcess.js';

/**
 * Starts a Bare Metal Operator binary in test mode (its fixture provisioner instead of Ironic) on one
 * namespace: no webhook server, no metrics server, the health probe on a free loopback port.
 * The fixture provisioner keeps one state for every host of the process, so each scenario gets an
 * operator of its own.
 */
export async function startBmo(options: {
  binary: string;
  kubeconfigPath: string;
  namespace: string;
  logDir: string;
}): Promise<ManagedProcess> {
  const healthPort = await freePort();
  const process_ = ManagedProcess.start(
    `bmo-${options.namespace}`,
    options.binary,
    [
      '--test-mode',
      `--namespace=${options.namespace}`,
      '--webhook-port=0',
      '--metrics-addr=0',
      `--health-addr=127.0.0.1:${healthPort}`,
      '--dev',
    ],
    join(options.logDir, `bmo-${options.namespace}.log`),
    // Test mode talks to no Ironic, so none of the Ironic settings are needed.
    { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', KUBECONFIG: options.kubeconfigPath },
  );
  await process_.waitUntilReady(async () => {
    const response = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
    return response.ok;
  }, 60_000);
  return process_;
}
