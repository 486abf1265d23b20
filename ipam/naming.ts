import { createHash } from 'node:crypto';
import { addressNameForm, type IpFamily } from './address.js';

/**
 * Object names that make the API server's name uniqueness the allocation lock: one name per pool and
 * address, e.g. `pool-3fa9c1d2e4-10-0-0-5`. Lowercase [a-z0-9-], at most 16 + 40 characters.
 */
export function allocationName(poolId: string, family: IpFamily, value: bigint): string {
  return `${poolId}-${addressNameForm({ family, value })}`;
}

/**
 * A label value identifying a Machine. Namespace and name together can exceed the 63 characters a
 * label value may hold, so this is a hash; the allocation's spec keeps the full reference.
 */
export function machineKey(machine: { namespace: string; name: string }): string {
  return createHash('sha256').update(`${machine.namespace}/${machine.name}`).digest('hex').slice(0, 32);
}
