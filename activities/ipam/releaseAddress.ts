import { tryParseAddress } from '../../ipam/address.js';
import { machineKey } from '../../ipam/naming.js';
import { MACHINE_LABEL } from '../../k8s/ipAllocations.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import { clearHostLease } from './hostLease.js';
import type { IpamDeps } from './ipamDeps.js';
import type { ReleaseAddressResult } from '../../contracts/machineActivityContract.js';

export interface ReleaseAddressInput {
  machine: MachineRef;
}

/**
 * Frees every address the Machine holds: first the lease comes off its host (while the host still
 * carries it), then the allocation object goes, so an address is never free while a host still has it.
 */
export async function releaseAddress(deps: IpamDeps, input: ReleaseAddressInput): Promise<ReleaseAddressResult> {
  const held = await deps.allocations.list({ [MACHINE_LABEL]: machineKey(input.machine) });
  const mine = held.filter(
    (allocation) =>
      allocation.spec.machine.namespace === input.machine.namespace &&
      allocation.spec.machine.name === input.machine.name,
  );
  for (const allocation of mine) {
    const { address, prefix, host, pool } = allocation.spec;
    if (host) await clearHostLease(deps.hosts, host, `${address}/${prefix}`);
    await deps.allocations.delete(allocation.metadata.name);
    const value = tryParseAddress(address)?.value;
    if (value !== undefined) deps.usage.released(pool, value);
  }
  return { released: mine.map((allocation) => allocation.spec.address) };
}
