import { PropertyKeys } from './keys.js';
import { PropertyValueError, parseIPv4, parseIpRanges, parseNetworkCidr } from './values.js';

export interface NetworkProblem {
  /** The property whose value is at fault. */
  readonly key: string;
  readonly message: string;
}

/**
 * Checks between network properties, which may come from different layers (a node type's CIDR, an
 * environment's ranges): ranges must lie inside the subnet and never contain the gateway.
 * `source(key)` says where a value came from (e.g. ` (from NodeEnvironment "dc1")`). Values that do
 * not parse are left to the per-property checks.
 */
export function networkConsistencyProblems(
  values: Readonly<Record<string, string>>,
  source: (key: string) => string = () => '',
): NetworkProblem[] {
  const cidrText = values[PropertyKeys.networkCidr];
  const rangeText = values[PropertyKeys.networkIpRange];
  if (cidrText === undefined || rangeText === undefined) return [];
  try {
    const cidr = parseNetworkCidr(cidrText);
    const [first, last] = [parseIPv4(cidr.network) + 1, parseIPv4(cidr.broadcast) - 1];
    const gateway = parseIPv4(cidr.gateway);
    const subnet = `${PropertyKeys.networkCidr} "${cidrText}"${source(PropertyKeys.networkCidr)}`;
    return parseIpRanges(rangeText)
      .flatMap(({ start, end }) => {
        const [low, high] = [parseIPv4(start), parseIPv4(end)];
        const range = `range "${start}-${end}" of ${PropertyKeys.networkIpRange}${source(PropertyKeys.networkIpRange)}`;
        if (low < first || high > last) return [`${range} is not inside the hosts of ${subnet}`];
        if (low <= gateway && gateway <= high) return [`${range} contains the gateway of ${subnet}`];
        return [];
      })
      .map((message) => ({ key: PropertyKeys.networkIpRange, message }));
  } catch (error) {
    if (error instanceof PropertyValueError) return [];
    throw error;
  }
}
