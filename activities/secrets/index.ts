import type { KubeConfig } from '../../k8s/kubernetesClient.js';
import { createSecretApi, type SecretApi } from '../../k8s/secrets.js';
import { toApplicationFailure } from '../applicationFailure.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import { SECRET_KINDS, machineLabels, machineSecretName, type SecretKind } from './machineSecrets.js';
import type { DeleteMachineSecretsResult } from '../../contracts/machineActivityContract.js';
import type { MachineSecretNames } from '../../contracts/machineContract.js';

export { MACHINE_NAME_LABEL, MACHINE_NAMESPACE_LABEL, machineSecretName } from './machineSecrets.js';

export interface WriteMachineSecretsInput {
  machine: MachineRef;
  /** Contents. Call this in-process from the activity that renders them, so they never enter workflow history. */
  userData: string;
  networkData?: string;
  metaData?: string;
}

/**
 * Writing and deleting a Machine's user data, network data and meta data Secrets in the cluster
 * namespace (where BMO reads them). Both are idempotent; contents never appear in logs or errors.
 */
export function createSecretActivities(options: { kubeConfig: KubeConfig; namespace: string }) {
  const secrets = createSecretApi(options.kubeConfig, options.namespace);
  return {
    writeMachineSecrets: async (input: WriteMachineSecretsInput): Promise<MachineSecretNames> => {
      try {
        return await writeMachineSecrets(secrets, input);
      } catch (err) {
        throw toApplicationFailure(err, 'writing the Machine data Secrets', 'secrets');
      }
    },
    deleteMachineSecrets: async (input: { machine: MachineRef }): Promise<DeleteMachineSecretsResult> => {
      try {
        return await deleteMachineSecrets(secrets, input.machine);
      } catch (err) {
        throw toApplicationFailure(err, 'deleting the Machine data Secrets', 'secrets');
      }
    },
  };
}

async function writeMachineSecrets(secrets: SecretApi, input: WriteMachineSecretsInput): Promise<MachineSecretNames> {
  const names: MachineSecretNames = {};
  const labels = machineLabels(input.machine);
  for (const kind of Object.keys(SECRET_KINDS) as SecretKind[]) {
    const content = input[kind];
    if (content === undefined) continue;
    const name = machineSecretName(input.machine, kind);
    await secrets.apply({ name, labels, stringData: { [SECRET_KINDS[kind].key]: content } });
    names[kind] = name;
  }
  return names;
}

/**
 * Deletes every Secret labelled with the Machine: its data Secrets and the snapshot, each written with
 * these labels. One collection delete removes them all and names them (metadata only, no data).
 */
async function deleteMachineSecrets(secrets: SecretApi, machine: MachineRef): Promise<DeleteMachineSecretsResult> {
  return { deleted: await secrets.deleteLabelled(machineLabels(machine)) };
}

export type SecretActivities = ReturnType<typeof createSecretActivities>;
