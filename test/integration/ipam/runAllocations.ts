import type { KubeConfig } from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { createIpamActivities } from '../../../activities/ipam/index.js';
import type { NetworkProperties } from '../../../contracts/machineContract.js';

export interface AllocationJob {
  namespace: string;
  network: NetworkProperties;
  /** Machine i is `machine-<i>` on host `host-<i>`. */
  machines: number[];
  startAt: 'lowest' | 'random';
}

export type AllocationOutcome =
  | { machine: string; address: string }
  | { machine: string; failureType: string | undefined; message: string; retryable: boolean };

/** Every Machine of the job asks for an address at the same time, through one activities object. */
export async function runAllocations(kubeConfig: KubeConfig, job: AllocationJob): Promise<AllocationOutcome[]> {
  const ipam = createIpamActivities({ kubeConfig, namespace: job.namespace });
  return Promise.all(
    job.machines.map(async (i): Promise<AllocationOutcome> => {
      const machine = `machine-${i}`;
      try {
        const lease = await ipam.allocateAddress({
          machine: { namespace: 'tenant', name: machine },
          host: `host-${i}`,
          network: job.network,
          startAt: job.startAt,
        });
        return { machine, address: lease.address };
      } catch (err) {
        if (!(err instanceof ApplicationFailure)) throw err;
        return { machine, failureType: err.type ?? undefined, message: err.message, retryable: !err.nonRetryable };
      }
    }),
  );
}
