import type { V1DaemonSet, V1Deployment } from '../../k8s/kubernetesClient.js';
import { parseAllDocuments } from 'yaml';
import type { Workload } from '../../contracts/infraContract.js';

interface ManifestObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
}

/** The Deployments and DaemonSets of a release's manifest; objects without a namespace are in the release's. */
export function releaseWorkloads(manifest: string, releaseNamespace: string): Workload[] {
  const workloads: Workload[] = [];
  for (const document of parseAllDocuments(manifest)) {
    const object = document.toJS() as ManifestObject | null;
    if (object?.apiVersion !== 'apps/v1') continue;
    if (object.kind !== 'Deployment' && object.kind !== 'DaemonSet') continue;
    const name = object.metadata?.name;
    if (typeof name !== 'string') continue;
    const namespace = typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : releaseNamespace;
    workloads.push({ kind: object.kind, namespace, name });
  }
  return workloads;
}

export interface Readiness {
  ready: boolean;
  /** e.g. "1/2 available", "status not yet observed". */
  detail: string;
}

/** The rollout of the current spec is observed by its controller. */
function observed(generation: number | undefined, observedGeneration: number | undefined): boolean {
  return observedGeneration !== undefined && observedGeneration >= (generation ?? 0);
}

/** Ready as `kubectl rollout status` sees it: the current generation observed, every replica updated and available. */
export function deploymentReadiness(deployment: V1Deployment): Readiness {
  const status = deployment.status;
  if (!observed(deployment.metadata?.generation, status?.observedGeneration))
    return { ready: false, detail: 'rollout not yet observed by its controller' };
  const wanted = deployment.spec?.replicas ?? 1;
  const updated = status?.updatedReplicas ?? 0;
  const available = status?.availableReplicas ?? 0;
  const total = status?.replicas ?? 0;
  const ready = updated >= wanted && available >= wanted && total <= updated;
  return { ready, detail: `${available}/${wanted} available, ${updated} updated` };
}

export function daemonSetReadiness(daemonSet: V1DaemonSet): Readiness {
  const status = daemonSet.status;
  if (!observed(daemonSet.metadata?.generation, status?.observedGeneration))
    return { ready: false, detail: 'rollout not yet observed by its controller' };
  const wanted = status?.desiredNumberScheduled ?? 0;
  const updated = status?.updatedNumberScheduled ?? 0;
  const available = status?.numberAvailable ?? 0;
  return {
    ready: updated >= wanted && available >= wanted,
    detail: `${available}/${wanted} available, ${updated} updated`,
  };
}
