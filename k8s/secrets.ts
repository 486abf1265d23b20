import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { classifyApiError } from './apiErrors.js';
import { exactLabelSelector } from './labelSelector.js';

/** Secrets in one namespace. Contents pass through untouched and are never logged or put in errors. */
export interface SecretApi {
  readonly namespace: string;
  /** Creates the Secret or, when one of that name exists, replaces its labels, type and data. Idempotent. */
  apply(secret: {
    name: string;
    labels?: Record<string, string>;
    type?: string;
    stringData: Record<string, string>;
  }): Promise<void>;
  /**
   * Deletes every Secret carrying all the given labels, in one call after the list that names them (the
   * API server's answer to a collection delete is not kept by the client). Returns the names listed;
   * none listed deletes nothing. Refuses labels that are missing, empty or not valid label values, since
   * a selector that matched more would delete more.
   */
  deleteLabelled(labels: Record<string, string>): Promise<string[]>;
  /** The Secret's labels and decoded data; undefined when it does not exist. */
  read(name: string): Promise<{ labels: Record<string, string>; data: Record<string, string> } | undefined>;
}

export function createSecretApi(kubeConfig: KubeConfig, namespace: string): SecretApi {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  return {
    namespace,
    async apply({ name, labels, type = 'Opaque', stringData }) {
      const data = Object.fromEntries(
        Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      );
      const body: V1Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, labels }, type, data };
      try {
        await core.createNamespacedSecret({ namespace, body });
        return;
      } catch (err) {
        if (classifyApiError(err).kind !== 'alreadyExists') throw err;
      }
      for (;;) {
        const existing = await core.readNamespacedSecret({ name, namespace });
        const replacement: V1Secret = {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name,
            namespace,
            labels: Object.assign({}, existing.metadata?.labels, labels),
            annotations: existing.metadata?.annotations,
            resourceVersion: existing.metadata?.resourceVersion,
          },
          type,
          data,
        };
        try {
          await core.replaceNamespacedSecret({ name, namespace, body: replacement });
          return;
        } catch (err) {
          if (classifyApiError(err).kind !== 'conflict') throw err;
        }
      }
    },
    async deleteLabelled(labels) {
      const labelSelector = exactLabelSelector(labels);
      const list = await core.listNamespacedSecret({ namespace, labelSelector });
      const names = list.items.flatMap((s) => (s.metadata?.name ? [s.metadata.name] : []));
      if (names.length > 0) await core.deleteCollectionNamespacedSecret({ namespace, labelSelector });
      return names;
    },
    async read(name) {
      try {
        const secret = await core.readNamespacedSecret({ name, namespace });
        const data = Object.fromEntries(
          Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
        );
        return { labels: secret.metadata?.labels ?? {}, data };
      } catch (err) {
        if (classifyApiError(err).kind === 'notFound') return undefined;
        throw err;
      }
    },
  };
}
