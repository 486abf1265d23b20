import { randomUUID } from 'node:crypto';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadKubeConfig } from '../../k8s/kubeClient.js';

export interface TestEnv {
  kubeConfig: KubeConfig;
  kubeconfigPath: string;
  /** A Kubernetes namespace of this test file's own. */
  namespace: string;
  /** A Temporal task queue of this test file's own. */
  taskQueue: string;
  temporal: { address: string; namespace: string; connection: Connection; client: Client };
  temporalUiUrl: string;
  workflowBundlePath: string;
  /** The same workflows built with the failure converter of encrypted payloads (`loadDataConverter`). */
  encodedFailuresBundlePath: string;
  helmPath: string;
}

/**
 * Gives a test file its own namespace and task queue on the run's devstack. The returned object is
 * filled in `beforeAll`; read its fields inside tests and hooks.
 */
export function useTestEnv(): TestEnv {
  const env = {} as TestEnv;
  beforeAll(async () => {
    const stack = inject('devstack');
    const id = randomUUID().slice(0, 8);
    const kubeConfig = loadKubeConfig(stack.kubeconfigPath);
    const namespace = `t-${id}`;
    await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    const connection = await Connection.connect({ address: stack.temporalAddress });
    Object.assign(env, {
      kubeConfig,
      kubeconfigPath: stack.kubeconfigPath,
      namespace,
      taskQueue: `tq-${id}`,
      temporal: {
        address: stack.temporalAddress,
        namespace: stack.temporalNamespace,
        connection,
        client: new Client({ connection, namespace: stack.temporalNamespace }),
      },
      temporalUiUrl: stack.temporalUiUrl,
      workflowBundlePath: inject('workflowBundlePath'),
      encodedFailuresBundlePath: inject('encodedFailuresBundlePath'),
      helmPath: stack.helmPath,
    } satisfies TestEnv);
  });
  afterAll(async () => {
    await env.temporal.connection.close();
  });
  return env;
}
