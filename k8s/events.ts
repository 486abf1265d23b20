import { CoreV1Api, type KubeConfig } from './kubernetesClient.js';

/** What an Event is about: enough of the object for `kubectl describe` to show the Event with it. */
export interface EventSubject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid?: string;
}

export interface EventRecorder {
  record(subject: EventSubject, event: { type: 'Normal' | 'Warning'; reason: string; message: string }): Promise<void>;
}

/**
 * Records core/v1 Events. Events are informational: a failure to record one is swallowed (and
 * reported through `onError`) so it never fails the operation it describes.
 */
export function createEventRecorder(
  kubeConfig: KubeConfig,
  component: string,
  onError: (err: unknown) => void = () => undefined,
): EventRecorder {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  return {
    async record(subject, { type, reason, message }) {
      const now = new Date();
      try {
        await core.createNamespacedEvent({
          namespace: subject.namespace,
          body: {
            metadata: { generateName: `${subject.name}.`, namespace: subject.namespace },
            involvedObject: subject,
            type,
            reason,
            message,
            source: { component },
            reportingComponent: component,
            firstTimestamp: now,
            lastTimestamp: now,
            count: 1,
          },
        });
      } catch (err) {
        onError(err);
      }
    },
  };
}
