import { ActivityFailure, ApplicationFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  INFRA_COMPONENTS,
  InfraFailureType,
  RELEASE_NAMES,
  infraStatusQuery,
  type ComponentResult,
  type DeployInfrastructureInput,
  type DeployInfrastructureResult,
  type InfraComponent,
  type InfraStatus,
  type ReleaseRequest,
} from '../contracts/infraContract.js';
import type { InfraActivities } from '../contracts/infraContract.js';

const DEFAULT_ROLLOUT_TIMEOUT_MS = 15 * 60_000;
const DEFAULT_ROLLOUT_POLL_MS = 5000;

/** helm runs: minutes at most; retried on helm errors (apiserver away, a concurrent operation). */
const helmSteps = proxyActivities<InfraActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [InfraFailureType.InvalidDeploySpec],
  },
});

function rolloutWait(timeoutMs: number, pollMs: number): Pick<InfraActivities, 'awaitRollout'> {
  return proxyActivities<InfraActivities>({
    // The activity fails with RolloutTimeout at the deadline itself; this bound only catches a lost worker.
    scheduleToCloseTimeout: timeoutMs + 60_000,
    heartbeatTimeout: Math.max(30_000, 3 * pollMs),
    retry: {
      initialInterval: '1 second',
      maximumInterval: '10 seconds',
      nonRetryableErrorTypes: [InfraFailureType.RolloutTimeout],
    },
  });
}

/** Values the provider fills in for a component; the user's helmValues override each of them. */
function computedValues(component: InfraComponent, input: DeployInfrastructureInput): Record<string, unknown> {
  if (component === 'multus') return { namespace: input.namespace };
  return {};
}

function releaseRequest(component: InfraComponent, input: DeployInfrastructureInput): ReleaseRequest {
  const spec = input.deploy[component];
  const dhcp = component === 'dhcp' ? input.deploy.dhcp : undefined;
  const overrides = {
    ...(dhcp?.chartRepo !== undefined && { chartRepo: dhcp.chartRepo }),
    ...(dhcp?.chart !== undefined && { chart: dhcp.chart }),
    ...(dhcp?.version !== undefined && { version: dhcp.version }),
  };
  return {
    component,
    release: RELEASE_NAMES[component],
    namespace: input.namespace,
    ...(spec?.helmValues !== undefined && { helmValues: spec.helmValues }),
    computedValues: computedValues(component, input),
    ...(component === 'dhcp' &&
      input.deploy.metal3?.enabled === true && {
        ironicFrom: {
          release: RELEASE_NAMES.metal3,
          namespace: input.namespace,
          ...(input.deploy.metal3.helmValues !== undefined && { metal3HelmValues: input.deploy.metal3.helmValues }),
        },
      }),
    ...(Object.keys(overrides).length > 0 && { chartOverrides: overrides }),
  };
}

function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

function failureType(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure && cause.type ? cause.type : InfraFailureType.HelmFailed;
}

/**
 * Deploys a NodeProvider's infrastructure (`spec.metal3.deploy`): for each enabled component, in
 * order Multus, Metal3, DHCP server, `helm upgrade --install` of its chart (skipped when the release
 * already has the same chart and values), then waits until its Deployments and DaemonSets report
 * ready. Disabled components are left exactly as they are. The first failure stops the run.
 */
export async function deployInfrastructure(input: DeployInfrastructureInput): Promise<DeployInfrastructureResult> {
  const status: InfraStatus = {
    provider: input.provider,
    components: INFRA_COMPONENTS.map((component) =>
      input.deploy[component]?.enabled === true
        ? { component, step: 'pending' }
        : { component, step: 'done', result: { component, outcome: 'skipped' } },
    ),
  };
  setHandler(infraStatusQuery, () => status);
  const timeoutMs = input.rolloutTimeoutMs ?? DEFAULT_ROLLOUT_TIMEOUT_MS;
  const pollMs = input.rolloutPollMs ?? DEFAULT_ROLLOUT_POLL_MS;
  const rollout = rolloutWait(timeoutMs, pollMs);

  for (const entry of status.components) {
    if (entry.step === 'done') continue;
    const request = releaseRequest(entry.component, input);
    try {
      entry.step = 'applying';
      const applied = await helmSteps.applyRelease(request);
      entry.step = 'waiting-for-rollout';
      const workloads = await helmSteps.releaseWorkloads({ release: applied.release, namespace: applied.namespace });
      const ready = await rollout.awaitRollout({
        release: applied.release,
        workloads,
        deadlineAt: Date.now() + timeoutMs,
        pollMs,
      });
      const result: ComponentResult = {
        component: entry.component,
        outcome: applied.change,
        release: applied.release,
        namespace: applied.namespace,
        revision: applied.revision,
        chart: applied.chart,
        workloads: ready,
      };
      Object.assign(entry, { step: 'done', result });
    } catch (error) {
      entry.step = 'failed';
      entry.error = failureMessage(error);
      throw ApplicationFailure.create({
        type: failureType(error),
        message: `${entry.component}: ${entry.error}`,
        nonRetryable: true,
      });
    }
  }
  return {
    provider: input.provider,
    namespace: input.namespace,
    components: status.components.map((entry) => entry.result ?? { component: entry.component, outcome: 'skipped' }),
  };
}
