import { ApplicationFailure } from '@temporalio/common';
import type { BareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import type { SecretApi } from '../../k8s/secrets.js';
import type { Lease } from '../../ipam/lease.js';
import { MachineDataError, RenderLimitError } from '../../render/errors.js';
import type { MachineData, MachineRenderInput } from '../../render/machineData.js';
import { renderInPool } from '../../render/sharedRenderPool.js';
import { CONFIG_INVALID, RENDER_LIMIT_EXCEEDED } from '../../contracts/machineContract.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import type { MachineSecretNames, SecretActivities } from '../secrets/index.js';
import { readSnapshot } from './machineSnapshot.js';

export interface WriteMachineDataDeps {
  hosts: BareMetalHostApi;
  secrets: SecretApi;
  secretActivities: Pick<SecretActivities, 'writeMachineSecrets'>;
  /** Renders the Machine data; by default in the process's render pool, off the event loop. */
  render?: (input: MachineRenderInput) => Promise<MachineData>;
}

export interface WriteMachineDataInput {
  machine: MachineRef;
  host: string;
  snapshotSecret: string;
  lease?: Lease;
}

/**
 * A rendering error as the activity's failure: non-retryable, since the same configuration fails the
 * same way. Only the error's message goes into the failure (and so into workflow history): it names
 * the property, the template's source and position, never template text, rendered data or Secret
 * values; the error's `detail`, which may quote them, stays here.
 */
function renderFailure(error: MachineDataError): ApplicationFailure {
  const limit = error instanceof RenderLimitError ? error.limit : undefined;
  return ApplicationFailure.create({
    type: limit === undefined ? CONFIG_INVALID : RENDER_LIMIT_EXCEEDED,
    message: error.message,
    nonRetryable: true,
    details: [{ ...(error.property !== undefined && { property: error.property }), ...(limit && { limit }) }],
  });
}

/**
 * Renders user data, network data and meta data from the snapshot, the claimed host and the lease,
 * and writes them as the Machine's Secrets — in one activity, so the rendered text never leaves this
 * process: only the Secret names are returned. Rendering runs in a worker thread with a deadline,
 * a memory limit and a step budget, so no template stalls the worker's other activities.
 */
export async function writeMachineData(
  deps: WriteMachineDataDeps,
  input: WriteMachineDataInput,
): Promise<MachineSecretNames> {
  const snapshot = await readSnapshot(deps.secrets, input.snapshotSecret);
  const bareMetalHost = await deps.hosts.get(input.host);
  const render = deps.render ?? renderInPool;
  let data: MachineData;
  try {
    data = await render({
      claim: snapshot.claim,
      project: snapshot.project,
      effective: snapshot.effective,
      sshKeys: snapshot.sshKeys,
      bareMetalHost,
      lease: input.lease,
      templates: snapshot.templates,
      registrationCommands: snapshot.registrationCommands,
    });
  } catch (error) {
    if (error instanceof MachineDataError) throw renderFailure(error);
    throw error;
  }
  return deps.secretActivities.writeMachineSecrets({
    machine: input.machine,
    userData: data.userData,
    ...(data.networkData !== undefined && { networkData: data.networkData }),
    metaData: data.metaData,
  });
}
