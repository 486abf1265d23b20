import type { Informer, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';

const WATCH_RESTART_MS = 2_000;

/**
 * Starts an informer whose add, change and delete all call `onObject`, restarting it after a
 * failed watch (a restarted informer lists again, so objects changed meanwhile are seen then).
 * Resolves once the first list is in its cache; the returned function stops it.
 */
export async function runInformer(
  informer: Informer<KubernetesObject>,
  onObject: (object: KubernetesObject) => void,
  logger: Logger,
  what: string,
): Promise<() => Promise<void>> {
  let stopped = false;
  informer.on('add', onObject);
  informer.on('update', onObject);
  informer.on('delete', onObject);
  const restart = (err: unknown) => {
    if (stopped) return;
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, `${what} watch failed; restarting`);
    setTimeout(() => {
      if (!stopped) informer.start().catch(restart);
    }, WATCH_RESTART_MS);
  };
  informer.on('error', restart);
  await informer.start().catch(restart);
  return async () => {
    stopped = true;
    await informer.stop();
  };
}
