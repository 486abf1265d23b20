import { createHash } from 'node:crypto';
import type { MachineRef } from '../../contracts/machineRef.js';

/**
 * Names and labels of a Machine's data Secrets on the Control Plane Cluster. Machines of the same
 * name in different namespaces share the cluster namespace, so names carry a short hash of the
 * Machine's namespace/name; labels let the reclaim find Secrets whose Machine is gone.
 */
export const MACHINE_NAME_LABEL = 'metal3-provider.io/machine-name';
export const MACHINE_NAMESPACE_LABEL = 'metal3-provider.io/machine-namespace';

/** The Secret kinds BMO reads, each under the key BMO expects. */
export const SECRET_KINDS = {
  userData: { suffix: 'user-data', key: 'userData' },
  networkData: { suffix: 'network-data', key: 'networkData' },
  metaData: { suffix: 'meta-data', key: 'metaData' },
} as const;
export type SecretKind = keyof typeof SECRET_KINDS;

export function machineSecretName(machine: MachineRef, kind: SecretKind): string {
  return machineObjectName(machine, SECRET_KINDS[kind].suffix);
}

/** `<machine name>-<hash of namespace/name>-<suffix>`, cut to fit an object name. */
export function machineObjectName(machine: MachineRef, suffix: string): string {
  const hash = createHash('sha256').update(`${machine.namespace}/${machine.name}`).digest('hex').slice(0, 8);
  const base = machine.name.slice(0, 253 - hash.length - suffix.length - 2).replace(/[-.]+$/, '');
  return `${base}-${hash}-${suffix}`;
}

/** Label values are limited to 63 characters; longer names are cut and keep a hash to stay unique. */
export function machineLabels(machine: MachineRef): Record<string, string> {
  return { [MACHINE_NAME_LABEL]: labelValue(machine.name), [MACHINE_NAMESPACE_LABEL]: labelValue(machine.namespace) };
}

function labelValue(value: string): string {
  if (value.length <= 63) return value;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
  return `${value.slice(0, 54).replace(/[-._]+$/, '')}-${hash}`;
}
