import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INSTALL_ROOT as projectRoot } from '../api/installRoot.js';
import { loadKubeConfig } from '../k8s/kubeClient.js';
import { installCrds } from './installCrds.js';
import type { ManagedProcess } from './managedProcess.js';
import { resolveTool } from './resolveTool.js';
import { startEtcd } from './startEtcd.js';
import { startKubeApiserver } from './startKubeApiserver.js';
import { startTemporalDevServer, type RunningTemporal } from './startTemporalDevServer.js';
import { startTemporalServer } from './startTemporalServer.js';

/** The checkout's root, where the charts, CRDs and examples are. */
export { projectRoot };

export interface DevstackEndpoints {
  temporalAddress: string;
  temporalNamespace: string;
  /** Empty with `--temporal=postgres`: the Web UI ships with the dev server only. */
  temporalUiUrl: string;
  temporalBackend: TemporalBackend;
  kubeApiserverUrl: string;
  kubeconfigPath: string;
  helmPath: string;
  dir: string;
  /** PIDs of every child process, for operators and for the test that nothing outlives the stack. */
  pids: Record<string, number>;
}

export interface Devstack {
  endpoints: DevstackEndpoints;
  /** The running children by name, for tests that crash and restart them. */
  processes: Map<string, ManagedProcess>;
  stop: () => Promise<void>;
}

export interface DevstackOptions {
  /** Called with progress lines (tool builds, start-up). */
  progress?: (line: string) => void;
  uiCodecEndpoint?: string;
  /** `dev`: the Temporal CLI's dev server on SQLite (default); `postgres`: the Temporal server on PostgreSQL. */
  temporal?: TemporalBackend;
}

export type TemporalBackend = 'dev' | 'postgres';

/**
 * The embedded default: a real Temporal dev server, etcd and kube-apiserver on free loopback
 * ports, our CRDs installed, helm resolved. Everything lives in one temp dir removed on stop.
 */
export async function startDevstack(options: DevstackOptions = {}): Promise<Devstack> {
  const progress = options.progress ?? (() => undefined);
  const backend = options.temporal ?? 'dev';
  const startTemporal = await temporalStarter(backend, progress, options.uiCodecEndpoint);
  const [etcdBin, apiserverBin, helm] = [
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
    progress(
      `starting etcd, kube-apiserver and the Temporal ${backend === 'dev' ? 'dev server' : 'server on PostgreSQL'}`,
    );
    const startKubernetes = async (): Promise<Awaited<ReturnType<typeof startKubeApiserver>>> => {
      const etcd = await startEtcd(etcdBin.path, dir);
      started.push(etcd.process);
      const apiserver = await startKubeApiserver(apiserverBin.path, etcd.clientUrl, dir);
      started.push(apiserver.process);
      return apiserver;
    };
    const [temporalResult, apiserverResult] = await Promise.allSettled([
      startTemporal(dir).then((t) => {
        started.push(...t.processes);
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
      temporalBackend: backend,
      kubeApiserverUrl: apiserver.url,
      kubeconfigPath: apiserver.kubeconfigPath,
      helmPath: helm.path,
      dir,
      pids: Object.fromEntries(started.map((p) => [p.name, p.pid])),
    };
    return { endpoints, processes: new Map(started.map((p) => [p.name, p])), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function temporalStarter(
  backend: TemporalBackend,
  progress: (line: string) => void,
  uiCodecEndpoint: string | undefined,
): Promise<(dir: string) => Promise<RunningTemporal>> {
  if (backend === 'postgres') {
    const [server, sqlTool] = [
      await resolveTool('temporal-server', progress),
      await resolveTool('temporal-sql-tool', progress),
    ];
    return (dir) => startTemporalServer({ server: server.path, sqlTool: sqlTool.path }, dir);
  }
  const cli = await resolveTool('temporal', progress);
  return (dir) => startTemporalDevServer(cli.path, dir, uiCodecEndpoint ? { uiCodecEndpoint } : {});
}
