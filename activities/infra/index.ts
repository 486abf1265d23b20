import { AppsV1Api, type KubeConfig } from '../../k8s/kubernetesClient.js';
import { Context } from '@temporalio/activity';
import type {
  AppliedRelease,
  AwaitRolloutInput,
  InfraActivities,
  ReleaseRequest,
  Workload,
} from '../../contracts/infraContract.js';
import { toApplicationFailure } from '../applicationFailure.js';
import { applyRelease, releaseManifest } from './applyRelease.js';
import { awaitRollout } from './awaitRollout.js';
import type { HelmRunner } from './helmCommand.js';
import { releaseWorkloads } from './releaseWorkloads.js';

export interface InfraActivityOptions extends HelmRunner {
  /** Reads workload status; the same cluster as `kubeconfigPath`. */
  kubeConfig: KubeConfig;
  /** The folder of the bundled charts. */
  chartsDir: string;
  /** How often a running helm command heartbeats, so cancellation and lost workers are noticed. */
  heartbeatIntervalMs?: number;
}

/** Runs `work` with the attempt's cancellation signal, heartbeating while it runs. */
async function heartbeating<T>(intervalMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctx = Context.current();
  const timer = setInterval(() => {
    ctx.heartbeat();
  }, intervalMs);
  try {
    return await work(ctx.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}

/** The activities of task queue metal3-infra: Helm releases of the infrastructure and their rollout. */
export function createInfraActivities(options: InfraActivityOptions): InfraActivities {
  const runner: HelmRunner = {
    helmPath: options.helmPath,
    ...(options.kubeconfigPath !== undefined && { kubeconfigPath: options.kubeconfigPath }),
  };
  const apps = options.kubeConfig.makeApiClient(AppsV1Api);
  const interval = options.heartbeatIntervalMs ?? 5000;
  return {
    async applyRelease(request: ReleaseRequest): Promise<AppliedRelease> {
      try {
        return await heartbeating(interval, (signal) =>
          applyRelease({ runner, chartsDir: options.chartsDir }, request, signal),
        );
      } catch (error) {
        throw toApplicationFailure(error, `deploying release ${request.namespace}/${request.release}`, 'infra');
      }
    },
    async releaseWorkloads(input: { release: string; namespace: string }): Promise<Workload[]> {
      try {
        const manifest = await heartbeating(interval, (signal) =>
          releaseManifest(runner, input.release, input.namespace, signal),
        );
        return releaseWorkloads(manifest, input.namespace);
      } catch (error) {
        throw toApplicationFailure(error, `reading release ${input.namespace}/${input.release}`, 'infra');
      }
    },
    awaitRollout(input: AwaitRolloutInput): Promise<Workload[]> {
      const ctx = Context.current();
      return awaitRollout(apps, input, {
        heartbeat: (details) => {
          ctx.heartbeat(details);
        },
        sleep: (ms) => ctx.sleep(ms),
      });
    },
  };
}
