import { CustomObjectsApi, makeInformer, type KubeConfig, type KubernetesObject } from '../../k8s/kubernetesClient.js';
import type { Logger } from 'pino';
import { BMH_GROUP, BMH_PLURAL, BMH_VERSION, BareMetalHost } from '../../api/bareMetalHost.js';
import { listHostObjects } from '../../k8s/bareMetalHosts.js';
import type { HostIndex } from './hostIndex.js';
import { logIndexChange } from './logIndexChange.js';

const RESTART_AFTER_MS = 2000;

/**
 * Feeds the host index from an informer on the BareMetalHosts of one namespace: additions and edits
 * (annotations, boot MAC, provisioning state) apply to the next packet; a broken watch is restarted.
 * Returns a function that stops it.
 */
export async function watchBareMetalHosts(
  kubeConfig: KubeConfig,
  namespace: string,
  index: HostIndex,
  logger: Logger,
): Promise<() => Promise<void>> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const path = `/apis/${BMH_GROUP}/${BMH_VERSION}/namespaces/${namespace}/${BMH_PLURAL}`;
  const informer = makeInformer(kubeConfig, path, () => listHostObjects(api, namespace));
  const apply = (object: KubernetesObject): void => {
    const parsed = BareMetalHost.safeParse(object);
    if (!parsed.success) {
      logger.warn(
        { host: object.metadata?.name, problem: parsed.error.issues[0]?.message },
        'BareMetalHost not understood; not answered',
      );
      return;
    }
    logIndexChange(logger, index.updateFromBareMetalHost(parsed.data));
  };
  let stopped = false;
  informer.on('add', apply);
  informer.on('update', apply);
  informer.on('delete', (object) => {
    const parsed = BareMetalHost.safeParse(object);
    if (parsed.success) index.removeBareMetalHost(parsed.data);
  });
  informer.on('error', (err: unknown) => {
    if (stopped) return;
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'BareMetalHost watch failed; restarting');
    setTimeout(() => {
      if (!stopped) void informer.start().catch(() => undefined);
    }, RESTART_AFTER_MS);
  });
  await informer.start();
  return async () => {
    stopped = true;
    await informer.stop();
  };
}
