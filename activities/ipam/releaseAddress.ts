import { tryParseAddress } from '../../ipam/address.js';
import { machineKey } from '../../ipam/naming.js';
import { MACHINE_LABEL } from '../../k8s/ipAllocations.js';
import { clearHostLease } from './hostLease.js';
import type { IpamDeps } from './ipamDeps.js';
import type {
  ReleaseAddressInput,
  ReleaseAddressResult,
  RestoredHost,
} from '../../contracts/machineActivityContract.js';

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
    const ipAddress = `${address}/${prefix}`;
    if (host && !restoredWithout(input.restored, host, ipAddress)) await clearHostLease(deps.hosts, host, ipAddress);
    await deps.allocations.delete(allocation.metadata.name);
    const value = tryParseAddress(address)?.value;
    if (value !== undefined) deps.usage.released(pool, value);
  }
  return { released: mine.map((allocation) => allocation.spec.address) };
}

/** Whether the release restored this host and the restore left it without this address. */
function restoredWithout(restored: RestoredHost | undefined, host: string, ipAddress: string): boolean {
  return restored !== undefined && restored.host === host && restored.addressLeftOnHost !== ipAddress;
}
