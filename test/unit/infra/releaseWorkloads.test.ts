import { describe, expect, it } from 'vitest';
import {
  daemonSetReadiness,
  deploymentReadiness,
  releaseWorkloads,
} from '../../../activities/infra/releaseWorkloads.js';

const manifest = `---
# Source: metal3/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: metal3-config
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: metal3-ironic
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: multus
  namespace: kube-system
---
apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: ancient
`;

describe('releaseWorkloads', () => {
  it('finds the apps/v1 Deployments and DaemonSets, in the release namespace unless they name one', () => {
    expect(releaseWorkloads(manifest, 'metal3-system')).toEqual([
      { kind: 'Deployment', namespace: 'metal3-system', name: 'metal3-ironic' },
      { kind: 'DaemonSet', namespace: 'kube-system', name: 'multus' },
    ]);
    expect(releaseWorkloads('', 'ns')).toEqual([]);
  });
});

describe('workload readiness', () => {
  it('waits for a Deployment until its controller observed the current generation and every replica is available', () => {
    const spec = { replicas: 2, selector: {}, template: {} };
    expect(deploymentReadiness({ metadata: { generation: 2 }, spec }).ready).toBe(false);
    expect(
      deploymentReadiness({
        metadata: { generation: 2 },
        spec,
        status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
      }).ready,
    ).toBe(false);
    expect(
      deploymentReadiness({
        metadata: { generation: 2 },
        spec,
        status: { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2 },
      }),
    ).toEqual({ ready: false, detail: '2/2 available, 2 updated' });
    expect(
      deploymentReadiness({
        metadata: { generation: 2 },
        spec,
        status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 },
      }).ready,
    ).toBe(false);
    expect(
      deploymentReadiness({
        metadata: { generation: 2 },
        spec,
        status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
      }).ready,
    ).toBe(true);
  });

  it('counts a DaemonSet ready when every scheduled pod is updated and available (none on no nodes)', () => {
    const ds = (status: object) => daemonSetReadiness({ metadata: { generation: 1 }, status: status as never });
    expect(
      ds({ observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }).ready,
    ).toBe(false);
    expect(
      ds({ observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }).ready,
    ).toBe(true);
    expect(
      ds({ observedGeneration: 1, desiredNumberScheduled: 0, updatedNumberScheduled: 0, numberAvailable: 0 }).ready,
    ).toBe(true);
    expect(daemonSetReadiness({ metadata: { generation: 1 } }).ready).toBe(false);
  });
});
