import { CoreV1Api, type KubeConfig, type V1Secret } from './kubernetesClient.js';
import { z } from 'zod';
import { classifyApiError } from './apiErrors.js';
import { exactLabelSelector } from './labelSelector.js';
import { acceptingOnly } from './nodeHttpLibrary.js';

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
   * Deletes every Secret carrying all the given labels in one collection delete, and returns the names of
   * those deleted, from the API server's answer (their metadata only, not their data). Refuses labels
   * that are missing, empty or not valid label values, since a selector that matched more would delete more.
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
      const answer = await core.deleteCollectionNamespacedSecretWithHttpInfo(
        { namespace, labelSelector },
        METADATA_ONLY,
      );
      return deletedNames(await answer.body.text());
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

/**
 * The API server answers a collection delete with the list of what it deleted, here asked for as
 * metadata only (as client-go's metadata client asks), so no Secret's data crosses the wire again; a
 * server that cannot answer so sends the list whole. The generated client would read the answer as a
 * Status and drop the list, so the caller reads the body itself.
 */
const METADATA_ONLY = {
  httpApi: acceptingOnly('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json'),
};

const DeletedList = z.object({
  kind: z.string().endsWith('List'),
  items: z.array(z.object({ metadata: z.object({ name: z.string() }) })).nullish(),
});

/** The names in a collection delete's answer; an answer that is not a list is an error, not "nothing deleted". */
export function deletedNames(body: string): string[] {
  const parsed = DeletedList.safeParse(JSON.parse(body));
  if (parsed.success) return (parsed.data.items ?? []).map((item) => item.metadata.name);
  const issue = parsed.error.issues[0];
  throw new Error(
    `a collection delete of Secrets was answered with something other than the list of what it deleted: ` +
      `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unreadable'}`,
  );
}
