import type { ObjectReference } from '../../api/bareMetalHost.js';
import { CONSUMER_API_VERSION, CONSUMER_KIND } from '../hosts/consumerRef.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import { snapshotSecretName } from '../machine/machineSnapshot.js';
import {
  MACHINE_NAME_LABEL,
  MACHINE_NAMESPACE_LABEL,
  SECRET_KINDS,
  machineSecretName,
  type SecretKind,
} from '../secrets/machineSecrets.js';

/**
 * Which Machine an object belongs to, read from what the lifecycle wrote on it. Pure; the reclaim
 * then asks Temporal whether that Machine's workflow still runs.
 */

/** The Machine a host's consumerRef names, when it is one of ours (a NodeClaim); other consumers are not ours. */
export function hostConsumer(consumerRef: ObjectReference | undefined): MachineRef | undefined {
  if (!consumerRef) return undefined;
  if (consumerRef.apiVersion !== CONSUMER_API_VERSION || consumerRef.kind !== CONSUMER_KIND) return undefined;
  if (!consumerRef.namespace) return undefined;
  return {
    namespace: consumerRef.namespace,
    name: consumerRef.name,
    ...(consumerRef.uid && { uid: consumerRef.uid }),
  };
}

export type SecretOwner = { kind: 'machine'; machine: MachineRef } | { kind: 'unknown'; reason: string };

/**
 * The Machine of a Secret labelled with one. Labels of long names are cut (with a hash), so the
 * labels alone may not name the Machine: the Secret counts as the Machine's only when its name is
 * one the lifecycle derives from that Machine. Anything else is left alone.
 */
export function secretOwner(secret: { name: string; labels: Record<string, string> }): SecretOwner | undefined {
  const name = secret.labels[MACHINE_NAME_LABEL];
  const namespace = secret.labels[MACHINE_NAMESPACE_LABEL];
  if (name === undefined && namespace === undefined) return undefined;
  if (!name || !namespace) {
    return {
      kind: 'unknown',
      reason: `it carries only one of the labels ${MACHINE_NAME_LABEL}, ${MACHINE_NAMESPACE_LABEL}`,
    };
  }
  const machine = { namespace, name };
  const derived = [
    ...(Object.keys(SECRET_KINDS) as SecretKind[]).map((kind) => machineSecretName(machine, kind)),
    snapshotSecretName(machine),
  ];
  if (derived.includes(secret.name)) return { kind: 'machine', machine };
  return {
    kind: 'unknown',
    reason: `its name is not one the lifecycle gives Machine ${namespace}/${name} (a cut label, or written by hand)`,
  };
}

export function machineKeyOf(machine: { namespace: string; name: string }): string {
  return `${machine.namespace}/${machine.name}`;
}
