import type { BareMetalHost } from '../api/bareMetalHost.js';
import type { NodeClaim } from '../api/nodeClaim.js';
import type { SSHKey } from '../api/sshKey.js';
import { PropertyKeys } from '../api/properties/keys.js';
import { propertyValues } from '../api/resolve/effectiveProperties.js';
import { describeOrigin, type EffectiveProperties } from '../api/resolve/origin.js';
import { sshKeyNames } from '../api/resolve/sources.js';
import type { Lease } from '../ipam/lease.js';
import { MachineDataError } from './errors.js';
import { templateHostView } from './templateHostView.js';

/** One entry of `.SSHKeys`: the SSHKey's name and its public key line. */
export interface TemplateSshKey {
  readonly Name: string;
  readonly PublicKey: string;
}

/**
 * The Values object user-data and network-data templates receive, with the spec's field names.
 * - `NodeClaim`: the NodeClaim as read (`.NodeClaim.metadata.name`, `.NodeClaim.spec.properties`), plus
 *   `Name` and `Namespace` so that `.NodeClaim.Name` works as it does on the platform's Go object.
 * - `Project`: the project the node belongs to; "" when it belongs to none.
 * - `Properties`: the effective property values by key (`index .Properties "vcluster.com/os-image"`).
 * - `SSHKeys`: the keys `vcluster.com/ssh-keys` names, in its order.
 * - `BareMetalHost`: the claimed host, unstructured (`.BareMetalHost.metadata.name`), without its BMC
 *   address, credentials and the provider's bookkeeping (`templateHostView`); an empty map when
 *   rendering without a host (the render command's preview).
 * - `AllocatedIP`: the bare address IPAM allocated (`10.0.0.5`, no prefix); "" when IPAM is not in use.
 * - `Gateway`: the allocated network's default gateway; "" when IPAM is not in use.
 */
export interface TemplateValues {
  readonly NodeClaim: Readonly<Record<string, unknown>>;
  readonly Project: string;
  readonly Properties: Readonly<Record<string, string>>;
  readonly SSHKeys: readonly TemplateSshKey[];
  readonly BareMetalHost: Readonly<Record<string, unknown>>;
  readonly AllocatedIP: string;
  readonly Gateway: string;
}

export interface TemplateValuesInput {
  readonly claim: NodeClaim;
  /** Overrides `claim.spec.project`. */
  readonly project?: string | undefined;
  readonly effective: EffectiveProperties;
  readonly sshKeys: readonly TemplateSshKey[];
  readonly bareMetalHost?: BareMetalHost | undefined;
  readonly lease?: Lease | undefined;
}

/** Plain JSON data, as the template engine maps it onto Go values (no undefined, no class instances). */
function plainData(value: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

export function buildTemplateValues(input: TemplateValuesInput): TemplateValues {
  const { claim, lease } = input;
  return {
    NodeClaim: { ...plainData(claim), Name: claim.metadata.name, Namespace: claim.metadata.namespace ?? '' },
    Project: input.project ?? claim.spec.project ?? '',
    Properties: propertyValues(input.effective),
    SSHKeys: input.sshKeys.map(({ Name, PublicKey }) => ({ Name, PublicKey })),
    BareMetalHost: input.bareMetalHost ? templateHostView(input.bareMetalHost) : {},
    AllocatedIP: lease?.address ?? '',
    Gateway: lease?.gateway ?? '',
  };
}

/**
 * The keys `vcluster.com/ssh-keys` names, in its order, taken from the SSHKey objects fetched for it.
 * Throws MachineDataError naming every key that is missing.
 */
export function selectSshKeys(effective: EffectiveProperties, available: readonly SSHKey[]): TemplateSshKey[] {
  const names = sshKeyNames(effective);
  const byName = new Map(available.map((key) => [key.metadata.name, key]));
  const missing = names.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    const origin = effective[PropertyKeys.sshKeys]?.origin;
    const where = origin ? ` (set in ${describeOrigin(origin)})` : '';
    const list = missing.map((name) => JSON.stringify(name)).join(', ');
    const [noun, verb, pronoun] = missing.length === 1 ? ['SSHKey', 'does', 'it'] : ['SSHKeys', 'do', 'them'];
    throw new MachineDataError(
      PropertyKeys.sshKeys,
      `${PropertyKeys.sshKeys}${where} names ${noun} ${list}, which ${verb} not exist; create ${pronoun} or remove ${pronoun} from the list`,
    );
  }
  return names.flatMap((name) => {
    const key = byName.get(name);
    return key ? [{ Name: name, PublicKey: key.spec.publicKey.trim() }] : [];
  });
}
