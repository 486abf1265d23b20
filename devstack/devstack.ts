import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKubeConfig } from '../k8s/kubeClient.js';
import { installCrds } from './installCrds.js';
import type { ManagedProcess } from './managedProcess.js';
import { resolveTool } from './resolveTool.js';
import { startEtcd } from './startEtcd.js';
import { startKubeApiserver } from './startKubeApiserver.js';
import { startTemporalDevServer } from './startTemporalDevServer.js';

/** The folder holding package.json: one level up from the sources, two from the compiled `dist/`. */
export const projectRoot =
  [1, 2]
    .map((up) => resolve(fileURLToPath(new URL('.', import.meta.url)), ...Array<string>(up).fill('..')))
    .find((dir) => existsSync(join(dir, 'package.json'))) ?? resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface DevstackEndpoints {
  temporalAddress: string;
  temporalNamespace: string;
  temporalUiUrl: string;
  kubeApiserverUrl: string;
  kubeconfigPath: string;
  helmPath: string;
  dir: string;
  /** PIDs of every child process, for operators and for the test that nothing outlives the stack. */
  pids: Record<string, number>;
}

export interface Devstack {
  endpoints: DevstackEndpoints;
  stop: () => Promise<void>;
}

export interface DevstackOptions {
  /** Called with progress lines (tool builds, start-up). */
  progress?: (line: string) => void;
  uiCodecEndpoint?: string;
}

/**
 * The embedded default: a real Temporal dev server, etcd and kube-apiserver on free loopback
 * ports, our CRDs installed, helm resolved. Everything lives in one temp dir removed on stop.
 */
export async function startDevstack(options: DevstackOptions = {}): Promise<Devstack> {
  const progress = options.progress ?? (() => undefined);
  const [temporalBin, etcdBin, apiserverBin, helm] = [
    await resolveTool('temporal', progress),
    await resolveTool('etcd', progress),
    await resolveTool('kube-apiserver', progress),
    await resolveTool('helm', progress),
  ];
  const dir = await mkdtemp(join(tmpdir(), 'metal3-provider-devstack-'));
  const started: ManagedProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const p of [...started].reverse()) await p.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    progress('starting etcd, kube-apiserver and the Temporal dev server');
    const startKubernetes = async (): Promise<Awaited<ReturnType<typeof startKubeApiserver>>> => {
      const etcd = await startEtcd(etcdBin.path, dir);
      started.push(etcd.process);
      const apiserver = await startKubeApiserver(apiserverBin.path, etcd.clientUrl, dir);
      started.push(apiserver.process);
      return apiserver;
    };
    const [temporalResult, apiserverResult] = await Promise.allSettled([
      startTemporalDevServer(temporalBin.path, dir, options).then((t) => {
        started.push(t.process);
        return t;
      }),
      startKubernetes(),
    ]);
    if (temporalResult.status === 'rejected') throw temporalResult.reason;
    if (apiserverResult.status === 'rejected') throw apiserverResult.reason;
    const [temporal, apiserver] = [temporalResult.value, apiserverResult.value];
    await installCrds(loadKubeConfig(apiserver.kubeconfigPath), join(projectRoot, 'crds'));
    const endpoints: DevstackEndpoints = {
      temporalAddress: temporal.address,
      temporalNamespace: temporal.namespace,
      temporalUiUrl: temporal.uiUrl,
      kubeApiserverUrl: apiserver.url,
      kubeconfigPath: apiserver.kubeconfigPath,
      helmPath: helm.path,
      dir,
      pids: Object.fromEntries(started.map((p) => [p.name, p.pid])),
    };
    return { endpoints, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
