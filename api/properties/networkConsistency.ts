import { tryParseAddress, type IpAddress } from '../../ipam/address.js';
import { hostAddresses } from '../../ipam/cidr.js';
import { PropertyKeys } from './keys.js';
import { PropertyValueError, parseIpRanges, parseNetworkCidr, type NetworkCidr } from './values.js';

export interface NetworkProblem {
  /** The property whose value is at fault. */
  readonly key: string;
  readonly message: string;
}

/** An address the value parsers have already accepted. */
function parsed(text: string): IpAddress {
  const address = tryParseAddress(text);
  if (address === undefined) throw new PropertyValueError(`${JSON.stringify(text)} is not an IP address`);
  return address;
}

/** Where ranges of the network's family must lie (its host addresses), and its gateway. */
function hostsOf(cidr: NetworkCidr): { first: bigint; last: bigint; gateway: bigint } {
  const subnet = { first: parsed(cidr.network).value, last: parsed(cidr.last).value };
  return { ...hostAddresses(cidr.family, subnet), gateway: parsed(cidr.gateway).value };
}

/**
 * Checks between network properties, which may come from different layers (a node type's CIDR, an
 * environment's ranges): each range must lie inside the network of its family and never contain
 * its gateway; a range of a family network-cidr has no network for lies inside none. `source(key)`
 * says where a value came from (e.g. ` (from NodeEnvironment "dc1")`). Values that do not parse are
 * left to the per-property checks.
 */
export function networkConsistencyProblems(
  values: Readonly<Record<string, string>>,
  source: (key: string) => string = () => '',
): NetworkProblem[] {
  const cidrText = values[PropertyKeys.networkCidr];
  const rangeText = values[PropertyKeys.networkIpRange];
  if (cidrText === undefined || rangeText === undefined) return [];
  try {
    const networks = parseNetworkCidr(cidrText);
    const subnet = `${PropertyKeys.networkCidr} "${cidrText}"${source(PropertyKeys.networkCidr)}`;
    return parseIpRanges(rangeText)
      .flatMap(({ start, end }) => {
        const [low, high] = [parsed(start), parsed(end)];
        const range = `range "${start}-${end}" of ${PropertyKeys.networkIpRange}${source(PropertyKeys.networkIpRange)}`;
        const network = networks.find((candidate) => candidate.family === low.family);
        if (!network) return [`${range} is not inside the hosts of ${subnet}`];
        const hosts = hostsOf(network);
        if (low.value < hosts.first || high.value > hosts.last)
          return [`${range} is not inside the hosts of ${subnet}`];
        if (low.value <= hosts.gateway && hosts.gateway <= high.value) {
          return [`${range} contains the gateway of ${subnet}`];
        }
        return [];
      })
      .map((message) => ({ key: PropertyKeys.networkIpRange, message }));
  } catch (error) {
    if (error instanceof PropertyValueError) return [];
    throw error;
  }
}
