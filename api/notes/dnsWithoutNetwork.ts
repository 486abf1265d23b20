import { catalogue, withClaimInCatalogue, type Catalogue } from '../crossDocument.js';
import type { LocatedNote } from '../documentNotes.js';
import type { NodeClaim } from '../nodeClaim.js';
import type { NodeProvider } from '../nodeProvider.js';
import { PropertyKeys } from '../properties/keys.js';
import type { LocatedDocument } from '../validateText.js';

/** Keys that give a Machine an allocated address, or name the environment that may give it one. */
const NETWORK_KEYS = [PropertyKeys.networkCidr, PropertyKeys.networkIpRange, PropertyKeys.networkEnvironment];

/**
 * The provider hands DNS servers out only with an address it allocates (in the lease, the DHCP
 * answer and the generated network data), so without a network they reach no Machine.
 */
export const DNS_WITHOUT_NETWORK_MESSAGE =
  `${PropertyKeys.dnsServers} has no effect: the provider hands DNS servers out only with an address it ` +
  `allocates, and none of ${NETWORK_KEYS.join(', ')} is set for these Machines; set a network or remove the key`;

type Map = Readonly<Record<string, string>> | undefined;

const setsNetwork = (...maps: Map[]): boolean =>
  maps.some((map) => NETWORK_KEYS.some((key) => map?.[key] !== undefined));
const hasDns = (map: Map): boolean => map?.[PropertyKeys.dnsServers] !== undefined;

/** Paths of the NodeProvider's dns-servers values that no node type gives a network to. */
function providerPaths(provider: NodeProvider): PropertyKey[][] {
  const own = provider.spec.properties;
  const paths: PropertyKey[][] = [];
  provider.spec.metal3.nodeTypes.forEach((nodeType, index) => {
    if (setsNetwork(own, nodeType.properties, nodeType.annotations)) return;
    const field = hasDns(nodeType.annotations) ? 'annotations' : hasDns(nodeType.properties) ? 'properties' : undefined;
    if (field !== undefined) paths.push(['spec', 'metal3', 'nodeTypes', index, field, PropertyKeys.dnsServers]);
    else if (hasDns(own)) paths.push(['spec', 'properties', PropertyKeys.dnsServers]);
  });
  const unique = new Map(paths.map((path) => [path.join('\0'), path]));
  return [...unique.values()];
}

/**
 * The claim's own dns-servers when its merged properties set no network. Only with its NodeProvider
 * (and NodeEnvironment, when one is named) at hand: otherwise a network may come from them.
 */
function claimPaths(claim: NodeClaim, known: Catalogue): PropertyKey[][] {
  if (!(hasDns(claim.spec.properties) || hasDns(claim.metadata.annotations))) return [];
  return withClaimInCatalogue(claim, known, ({ effective }) => {
    if (effective[PropertyKeys.networkCidr] || effective[PropertyKeys.networkIpRange]) return [];
    const origin = effective[PropertyKeys.dnsServers]?.origin;
    if (origin?.kind !== 'nodeClaim') return [];
    return [
      origin.field === 'properties'
        ? ['spec', 'properties', PropertyKeys.dnsServers]
        : ['metadata', 'annotations', PropertyKeys.dnsServers],
    ];
  });
}

/**
 * A warning where dns-servers is set for Machines that get no network. A NodeEnvironment is not
 * judged alone: the subnet may come from the node type or claim that names it.
 */
export function dnsWithoutNetworkWarnings(documents: readonly LocatedDocument[]): LocatedNote[] {
  const known = catalogue(documents);
  return documents.flatMap(({ file, source, document }) => {
    const paths =
      document.kind === 'NodeProvider'
        ? providerPaths(document.value)
        : document.kind === 'NodeClaim'
          ? claimPaths(document.value, known)
          : [];
    return paths.map((path) => ({
      severity: 'warning' as const,
      file,
      line: source.lineOf(path),
      issue: { path, message: DNS_WITHOUT_NETWORK_MESSAGE },
    }));
  });
}
