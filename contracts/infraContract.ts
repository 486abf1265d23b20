import { defineQuery } from '@temporalio/workflow';
import type { Deploy } from '../api/nodeProvider.js';

/**
 * What the infrastructure deployment workflow, its activities and the `deploy` command agree on.
 * Helm values travel as the user wrote them (they hold no secrets by contract) but are never logged.
 */

export const INFRA_TASK_QUEUE = 'metal3-infra';

/** One deployment per NodeProvider; a new deploy of the same provider replaces a running one. */
export function infraWorkflowId(provider: string): string {
  return `infra/${provider}`;
}

/** In install order: Multus first (the DHCP server's NetworkAttachmentDefinition needs its CRD), then Metal3. */
export const INFRA_COMPONENTS = ['multus', 'metal3', 'dhcp'] as const;
export type InfraComponent = (typeof INFRA_COMPONENTS)[number];

/** Helm release name of each component, in the provider namespace. */
export const RELEASE_NAMES: Record<InfraComponent, string> = {
  multus: 'multus',
  metal3: 'metal3',
  dhcp: 'metal3-provider-dhcp-server',
};

export interface DeployInfrastructureInput {
  /** The NodeProvider's name (the workflow id and the log context). */
  provider: string;
  /** Namespace of the releases: `spec.metal3.clusterRef.namespace` unless overridden. */
  namespace: string;
  /** `spec.metal3.deploy`. */
  deploy: Deploy;
  /** How long a release may take to report ready. Default 15 minutes. */
  rolloutTimeoutMs?: number;
  /** Pause between two readiness checks. Default 5 seconds. */
  rolloutPollMs?: number;
}

/** One component's Helm release, as the apply step hands it over. */
export interface ReleaseRequest {
  component: InfraComponent;
  release: string;
  namespace: string;
  /** `chartRepo`/`chart`/`version` overrides (DHCP only); without any, the bundled chart is used. */
  chartOverrides?: { chartRepo?: string; chart?: string; version?: string };
  /** The user's `helmValues` (raw YAML); wins over every default. */
  helmValues?: string;
  /** Values computed by the workflow (the Multus namespace); under the user's, over the chart's. */
  computedValues: Record<string, unknown>;
  /**
   * Metal3 is deployed with this component: the DHCP server's `proxy.ironicHttpUrl`/`ironicApiUrl`
   * point at its Ironic Service (ports from the Metal3 helmValues), unless the user set them.
   */
  ironicFrom?: { release: string; namespace: string; metal3HelmValues?: string };
}

export type ReleaseChange = 'installed' | 'upgraded' | 'unchanged';

export interface AppliedRelease {
  release: string;
  namespace: string;
  change: ReleaseChange;
  revision: number;
  /** `<chart>-<version>` as Helm reports it. */
  chart: string;
}

/** A Deployment or DaemonSet of a release, from its manifest. */
export interface Workload {
  kind: 'Deployment' | 'DaemonSet';
  namespace: string;
  name: string;
}

export interface ComponentResult {
  component: InfraComponent;
  /** `skipped`: disabled, left exactly as it is (never uninstalled). */
  outcome: ReleaseChange | 'skipped';
  release?: string;
  namespace?: string;
  revision?: number;
  chart?: string;
  /** Workloads that reported ready before the component counted as deployed. */
  workloads?: Workload[];
}

export interface DeployInfrastructureResult {
  provider: string;
  namespace: string;
  components: ComponentResult[];
}

export type ComponentStep = 'pending' | 'applying' | 'waiting-for-rollout' | 'done' | 'failed';

export interface InfraStatus {
  provider: string;
  components: { component: InfraComponent; step: ComponentStep; result?: ComponentResult; error?: string }[];
}

export const infraStatusQuery = defineQuery<InfraStatus>('infraStatus');

/** Failure types of the infrastructure activities. */
export const InfraFailureType = {
  /** The user's helmValues or chart coordinates cannot be used; fix the NodeProvider. */
  InvalidDeploySpec: 'InvalidDeploySpec',
  /** helm exited with an error (apiserver unreachable, chart not found, a hook failed). */
  HelmFailed: 'HelmFailed',
  /** A release's Deployments or DaemonSets did not report ready before the deadline. */
  RolloutTimeout: 'RolloutTimeout',
  /** Reading a workload's status from the cluster failed. */
  KubernetesApiError: 'KubernetesApiError',
} as const;
export type InfraFailureType = (typeof InfraFailureType)[keyof typeof InfraFailureType];

export interface AwaitRolloutInput {
  release: string;
  workloads: Workload[];
  /** Epoch milliseconds; retried attempts share the workflow's deadline. */
  deadlineAt: number;
  pollMs: number;
}

/** The activities of task queue metal3-infra: Helm releases of the infrastructure and their rollout. */
export interface InfraActivities {
  applyRelease(request: ReleaseRequest): Promise<AppliedRelease>;
  /** The Deployments and DaemonSets of an installed release, from its manifest. */
  releaseWorkloads(input: { release: string; namespace: string }): Promise<Workload[]>;
  /** Polls until every workload is ready, heartbeating what it still waits for. */
  awaitRollout(input: AwaitRolloutInput): Promise<Workload[]>;
}
