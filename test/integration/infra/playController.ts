import { AppsV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Workload } from '../../../contracts/infraContract.js';

/**
 * The devstack has no kubelet or controller-manager: tests play the controllers and write the
 * status a Deployment or DaemonSet would report once its pods run.
 */
export async function markReady(kubeConfig: KubeConfig, workload: Workload): Promise<void> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const { name, namespace } = workload;
  if (workload.kind === 'Deployment') {
    const current = await apps.readNamespacedDeployment({ name, namespace });
    const replicas = current.spec?.replicas ?? 1;
    current.status = {
      observedGeneration: current.metadata?.generation ?? 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
    };
    await apps.replaceNamespacedDeploymentStatus({ name, namespace, body: current });
  } else {
    const current = await apps.readNamespacedDaemonSet({ name, namespace });
    current.status = {
      observedGeneration: current.metadata?.generation ?? 1,
      currentNumberScheduled: 1,
      desiredNumberScheduled: 1,
      numberMisscheduled: 0,
      numberReady: 1,
      updatedNumberScheduled: 1,
      numberAvailable: 1,
    };
    await apps.replaceNamespacedDaemonSetStatus({ name, namespace, body: current });
  }
}

/** The Deployments and DaemonSets of a Helm release, by the instance label every bundled chart sets. */
export async function releaseWorkloadsInCluster(
  kubeConfig: KubeConfig,
  release: string,
  namespaces: string[],
): Promise<Workload[]> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const labelSelector = `app.kubernetes.io/instance=${release}`;
  const found: Workload[] = [];
  for (const namespace of namespaces) {
    const deployments = await apps.listNamespacedDeployment({ namespace, labelSelector });
    const daemonSets = await apps.listNamespacedDaemonSet({ namespace, labelSelector });
    for (const d of deployments.items) found.push({ kind: 'Deployment', namespace, name: d.metadata?.name ?? '' });
    for (const d of daemonSets.items) found.push({ kind: 'DaemonSet', namespace, name: d.metadata?.name ?? '' });
  }
  return found;
}
