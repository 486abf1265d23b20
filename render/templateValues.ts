import type { SSHKey } from '../api/sshKey.js';
import { PropertyKeys } from '../api/properties/keys.js';
import { describeOrigin, type EffectiveProperties } from '../api/resolve/origin.js';
import { sshKeyNames } from '../api/resolve/sources.js';
import type { MachineRenderInput, TemplateSshKey } from './renderSpec.js';
import { MachineDataError } from './errors.js';
import { GoStruct, toGoValue } from '../packages/go-template/src/index.js';
import { templateHostView } from './templateHostView.js';
import { VALUES_TYPE } from './templateValueTypes.js';

/**
 * The Values object user-data and network-data templates receive: a Go struct of the type
 * VALUES_TYPE (templateValueTypes.ts; documented field by field in docs/templates.md), so that
 * `.NodeClaim.Name`, `.NodeClaim.Labels` and `.NodeClaim.Spec.Properties` work as on the platform's
 * Go objects and a field that does not exist fails as it does in Go.
 */
export type TemplateValues = GoStruct;

/** What the Values object is made of: the render input but for its documents. */
export type TemplateValuesInput = Pick<
  MachineRenderInput,
  'claim' | 'project' | 'properties' | 'sshKeys' | 'bareMetalHost' | 'lease'
>;

/** Plain JSON data, as the template engine maps it onto Go values (no undefined, no class instances). */
function plainData(value: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

export function buildTemplateValues(input: TemplateValuesInput): TemplateValues {
  const { claim, lease } = input;
  const values = toGoValue(VALUES_TYPE, {
    NodeClaim: plainData(claim),
    Project: input.project,
    Properties: input.properties,
    SSHKeys: input.sshKeys.map(({ Name, PublicKey }) => ({ Name, PublicKey })),
    BareMetalHost: input.bareMetalHost ? templateHostView(input.bareMetalHost) : {},
    AllocatedIP: lease?.address ?? '',
    Gateway: lease?.gateway ?? '',
    AllocatedIPv6: lease?.ipv6?.address ?? '',
    GatewayIPv6: lease?.ipv6?.gateway ?? '',
  });
  if (!(values instanceof GoStruct)) throw new Error('the Values type is a struct');
  return values;
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
