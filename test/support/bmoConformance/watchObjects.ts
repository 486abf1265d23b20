import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { RawObject } from './scenarios.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Observation {
  /** `host`, `secret` or the kind of a related object (HardwareData, …). */
  kind: string;
  type: EventType;
  object: RawObject;
}

export interface ObjectWatch {
  stop(): void;
}

/**
 * Watches `path` from `resourceVersion` and reports every version in order. A watch the server
 * closes is resumed from the last version seen, so no version between start and stop is missed.
 */
export async function watchObjects(
  kubeConfig: KubeConfig,
  path: string,
  params: { resourceVersion: string; fieldSelector?: string },
  onEvent: (type: EventType, object: RawObject) => void,
  onError: (err: unknown) => void,
): Promise<ObjectWatch> {
  const watcher = new Watch(kubeConfig);
  let resourceVersion = params.resourceVersion;
  let stopped = false;
  let current: AbortController | undefined;
  const start = async (): Promise<void> => {
    current = await watcher.watch(
      path,
      { resourceVersion, fieldSelector: params.fieldSelector, allowWatchBookmarks: true },
      (type: string, object: RawObject) => {
        const version = object.metadata?.resourceVersion;
        if (typeof version === 'string') resourceVersion = version;
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') onEvent(type, object);
        else if (type === 'ERROR') onError(new Error(`watch of ${path} failed: ${JSON.stringify(object)}`));
      },
      (err: unknown) => {
        if (stopped) return;
        if (err) onError(err);
        else start().catch(onError);
      },
    );
  };
  await start();
  return {
    stop() {
      stopped = true;
      current?.abort();
    },
  };
}
