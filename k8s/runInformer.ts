import type { Informer, KubernetesObject } from './kubernetesClient.js';

const WATCH_RESTART_MS = 2_000;

export type InformerEvent = 'add' | 'update' | 'delete';

/** Where a failed watch is reported; a pino Logger fits. */
export interface InformerLogger {
  warn: (details: object, message: string) => void;
}

/**
 * Starts an informer whose add, change and delete all call `onObject`, restarting it after a
 * failed watch (a restarted informer lists again, so objects changed meanwhile are seen then).
 * Resolves once the first list is in its cache; the returned function stops it. `onSynced` hears
 * `true` each time a (re)start has listed without error and `false` at each failure, so a reader
 * can tell a cache it may trust to be nearly current from one that stopped following the server.
 */
export async function runInformer(
  informer: Informer<KubernetesObject>,
  onObject: (object: KubernetesObject, event: InformerEvent) => void,
  logger: InformerLogger,
  what: string,
  onSynced: (synced: boolean) => void = () => undefined,
): Promise<() => Promise<void>> {
  let stopped = false;
  // Bumped at every failure: a start that saw one since it began did not list successfully.
  let failures = 0;
  informer.on('add', (object) => {
    onObject(withoutManagedFields(object), 'add');
  });
  informer.on('update', (object) => {
    onObject(withoutManagedFields(object), 'update');
  });
  informer.on('delete', (object) => {
    onObject(object, 'delete');
  });
  const start = async () => {
    const before = failures;
    await informer.start();
    if (!stopped && failures === before) onSynced(true);
  };
  const restart = (err: unknown) => {
    failures++;
    onSynced(false);
    if (stopped) return;
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, `${what} watch failed; restarting`);
    setTimeout(() => {
      if (!stopped) start().catch(restart);
    }, WATCH_RESTART_MS);
  };
  informer.on('error', restart);
  await start().catch(restart);
  return async () => {
    stopped = true;
    onSynced(false);
    await informer.stop();
  };
}

/**
 * The object the informer keeps, less its managedFields: often half of an object's JSON, and the informer
 * keeps every object it follows (10,000 hosts in a large fleet). Nothing here reads them, and a write that
 * starts from a kept object sends none, which the kube-apiserver takes as "unchanged". The informer calls
 * these with every object it stores, as it stores it, so none is kept with them.
 */
function withoutManagedFields(object: KubernetesObject): KubernetesObject {
  if (object.metadata?.managedFields !== undefined) delete object.metadata.managedFields;
  return object;
}
