import { join } from 'node:path';
import { freePort } from './freePort.js';
import { ManagedProcess } from './managedProcess.js';

export interface RunningEtcd {
  process: ManagedProcess;
  clientUrl: string;
}

/** Starts a single-member etcd on loopback; its data lives under `dir` and goes with it. */
export async function startEtcd(binary: string, dir: string): Promise<RunningEtcd> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const process = ManagedProcess.start(
    'etcd',
    binary,
    [
      '--name=devstack',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=devstack=${peerUrl}`,
      // A throwaway store: durability costs fsyncs the tests do not need.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    join(dir, 'etcd.log'),
  );
  await process.waitUntilReady(async () => {
    const response = await fetch(`${clientUrl}/health`);
    return response.ok && ((await response.json()) as { health?: string }).health === 'true';
  }, 30_000);
  return { process, clientUrl };
}
