import type { BareMetalHost } from '../../api/bareMetalHost.js';
import type { BareMetalHostChanges } from '../../k8s/bareMetalHostCache.js';
import type { BareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import type { SecretApi } from '../../k8s/secrets.js';
import { leaseAnnotations, type Lease } from '../../ipam/lease.js';
import type { MachineData } from '../../render/machineData.js';
import type { MachineRenderInput } from '../../render/renderSpec.js';
import { renderInPool } from '../../render/sharedRenderPool.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import { isConsumedBy } from '../hosts/consumerRef.js';
import { withAnnotations } from '../hosts/hostChanges.js';
import type { SecretActivities } from '../secrets/index.js';
import { readSnapshot } from './machineSnapshot.js';
import type { MachineSecretNames } from '../../contracts/machineContract.js';

export interface WriteMachineDataDeps {
  hosts: BareMetalHostApi;
  secrets: SecretApi;
  secretActivities: Pick<SecretActivities, 'writeMachineSecrets'>;
  /** The worker's cache of the namespace's hosts: a version showing this Machine's claim spares a read. */
  hostCache?: Pick<BareMetalHostChanges, 'latest'>;
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
 * Renders user data, network data and meta data from the render spec, the claimed host and the lease,
 * and writes them as the Machine's Secrets — in one activity, so the rendered text never leaves this
 * process: only the Secret names are returned. Rendering runs in a worker thread with a deadline,
 * a memory limit and a step budget, so no template stalls the worker's other activities.
 */
export async function writeMachineData(
  deps: WriteMachineDataDeps,
  input: WriteMachineDataInput,
): Promise<MachineSecretNames> {
  const spec = await readSnapshot(deps.secrets, input.snapshotSecret);
  const claimed = claimedBy(deps.hostCache?.latest(input.host), input.machine) ?? (await deps.hosts.get(input.host));
  // Templates see the host as configured: the configure step writes the lease annotations onto it.
  const bareMetalHost = input.lease ? (withAnnotations(claimed, leaseAnnotations(input.lease)) ?? claimed) : claimed;
  const render = deps.render ?? renderInPool;
  // A MachineDataError goes on as it is: the activity's failure translation keeps its `detail` out of history.
  const data = await render({ ...spec, bareMetalHost, lease: input.lease });
  return deps.secretActivities.writeMachineSecrets({
    machine: input.machine,
    userData: data.userData,
    ...(data.networkData !== undefined && { networkData: data.networkData }),
    metaData: data.metaData,
  });
}

/** The cached host when it already shows this Machine's claim; otherwise undefined. */
function claimedBy(host: BareMetalHost | undefined, machine: MachineRef): BareMetalHost | undefined {
  return host && isConsumedBy(host, machine) ? host : undefined;
}
