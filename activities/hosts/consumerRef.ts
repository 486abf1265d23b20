import type { BareMetalHost, ObjectReference } from '../../api/bareMetalHost.js';
import type { MachineRef } from '../../contracts/machineRef.js';

/**
 * `spec.consumerRef` of a host we claim: the NodeClaim (the platform's Machine request), e.g.
 * `{ apiVersion: 'management.loft.sh/v1', kind: 'NodeClaim', name, namespace, uid }`.
 */
export const CONSUMER_API_VERSION = 'management.loft.sh/v1';
export const CONSUMER_KIND = 'NodeClaim';

export function consumerRefFor(machine: MachineRef): ObjectReference {
  const ref: ObjectReference = {
    apiVersion: CONSUMER_API_VERSION,
    kind: CONSUMER_KIND,
    name: machine.name,
    namespace: machine.namespace,
  };
  if (machine.uid) ref.uid = machine.uid;
  return ref;
}

/** True when the host's consumerRef names this Machine (a differing uid means a different Machine of the same name). */
export function isConsumedBy(host: BareMetalHost, machine: MachineRef): boolean {
  const ref = host.spec.consumerRef;
  if (!ref) return false;
  const sameName =
    ref.apiVersion === CONSUMER_API_VERSION &&
    ref.kind === CONSUMER_KIND &&
    ref.namespace === machine.namespace &&
    ref.name === machine.name;
  return sameName && (!ref.uid || !machine.uid || ref.uid === machine.uid);
}

export function describeMachine(machine: MachineRef): string {
  return `${machine.namespace}/${machine.name}`;
}
