import { PropertyKeys } from '../properties/keys.js';
import { parseIPv4, parseIpRanges, parseNetworkCidr } from '../properties/values.js';
import { describeOrigin, type EffectiveProperties } from './origin.js';

/**
 * Checks between network properties that may come from different layers (a node type's CIDR, an
 * environment's ranges): ranges must lie inside the subnet, and the gateway
 * must never be handed out.
 */
export function networkConsistencyProblems(effective: EffectiveProperties): string[] {
  const cidrProperty = effective[PropertyKeys.networkCidr];
  if (!cidrProperty) return [];
  const cidr = parseNetworkCidr(cidrProperty.value);
  const [first, last] = [parseIPv4(cidr.network) + 1, parseIPv4(cidr.broadcast) - 1];
  const gateway = parseIPv4(cidr.gateway);
  const cidrText = `${PropertyKeys.networkCidr} "${cidrProperty.value}" (from ${describeOrigin(cidrProperty.origin)})`;
  const problems: string[] = [];
  const rangeProperty = effective[PropertyKeys.networkIpRange];
  if (!rangeProperty) return problems;
  for (const range of parseIpRanges(rangeProperty.value)) {
    const [low, high] = [parseIPv4(range.start), parseIPv4(range.end)];
    const text = `range "${range.start}-${range.end}" of ${PropertyKeys.networkIpRange} (from ${describeOrigin(rangeProperty.origin)})`;
    if (low < first || high > last) problems.push(`${text} is not inside the hosts of ${cidrText}`);
    else if (low <= gateway && gateway <= high) problems.push(`${text} contains the gateway of ${cidrText}`);
  }
  return problems;
}
