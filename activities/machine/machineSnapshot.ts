import type { EffectiveProperties } from '../../api/resolve/origin.js';
import type { NodeClaim } from '../../api/nodeClaim.js';
import type { SecretApi } from '../../k8s/secrets.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import { machineLabels, machineObjectName } from '../secrets/machineSecrets.js';

/**
 * Everything the render step needs, fixed when the Machine starts: later edits to the NodeProvider,
 * SSHKeys or template Secrets do not change a running provision. It holds user data and join
 * commands, so it lives in a Secret and only its name enters workflow history.
 */
export interface MachineSnapshot {
  claim: NodeClaim;
  project?: string;
  effective: EffectiveProperties;
  sshKeys: { Name: string; PublicKey: string }[];
  templates: { userDataTemplateSecret?: string; networkDataTemplateSecret?: string };
  registrationCommands: string[];
}

const SNAPSHOT_KEY = 'snapshot';

export function snapshotSecretName(machine: MachineRef): string {
  return machineObjectName(machine, 'spec');
}

export async function writeSnapshot(
  secrets: SecretApi,
  machine: MachineRef,
  snapshot: MachineSnapshot,
): Promise<string> {
  const name = snapshotSecretName(machine);
  await secrets.apply({
    name,
    labels: machineLabels(machine),
    stringData: { [SNAPSHOT_KEY]: JSON.stringify(snapshot) },
  });
  return name;
}

export async function readSnapshot(secrets: SecretApi, name: string): Promise<MachineSnapshot> {
  const secret = await secrets.read(name);
  const text = secret?.data[SNAPSHOT_KEY];
  if (text === undefined) {
    throw new Error(
      `the Machine's snapshot Secret ${secrets.namespace}/${name} is missing; release the Machine and request it again`,
    );
  }
  return JSON.parse(text) as MachineSnapshot;
}
