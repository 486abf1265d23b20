import type { OSImage } from '../osImage.js';
import { ConfigValidationError } from '../issues.js';
import { PropertyKeys } from '../properties/keys.js';
import { readImageProperties, type ImageProperties } from '../properties/image.js';
import {
  parseGoDuration,
  parseIpList,
  parseIpRanges,
  parseNameList,
  parseNetworkCidr,
  parsePositiveInteger,
  parseSecretReference,
  type IpRange,
  type NetworkCidr,
  type SecretReference,
} from '../properties/values.js';
import { propertySpec } from '../properties/catalogue.js';
import { describeOrigin, type EffectiveProperties, type PropertyOrigin } from './origin.js';

/** The OSImage a Machine names with vcluster.com/os-image, to be fetched before resolveImage. */
export function osImageName(effective: EffectiveProperties): string | undefined {
  return effective[PropertyKeys.osImage]?.value;
}

export type ResolvedImage = ImageProperties & {
  readonly source: { readonly kind: 'osImage'; readonly name: string } | { readonly kind: 'properties' };
};

function imageError(message: string): ConfigValidationError {
  return new ConfigValidationError('the OS image', [{ path: [], message }]);
}

/**
 * The image to install: the OSImage named by vcluster.com/os-image, else the direct
 * metal3.vcluster.com/image-* properties. `osImage` is that OSImage as fetched (undefined if absent).
 */
export function resolveImage(effective: EffectiveProperties, osImage: OSImage | undefined): ResolvedImage {
  const named = effective[PropertyKeys.osImage];
  if (named !== undefined) {
    if (osImage?.metadata.name !== named.value) {
      throw imageError(
        `OSImage "${named.value}" (named by ${PropertyKeys.osImage} in ${describeOrigin(named.origin)}) does not exist; create it, or remove ${PropertyKeys.osImage} and set ${PropertyKeys.imageUrl} and ${PropertyKeys.imageChecksum}`,
      );
    }
    const result = readImageProperties(osImage.spec.properties);
    if (!result.ok) throw imageError(`OSImage "${named.value}": ${result.problems.map((p) => p.message).join('; ')}`);
    return { ...result.image, source: { kind: 'osImage', name: named.value } };
  }
  const values = Object.fromEntries(Object.entries(effective).map(([key, { value }]) => [key, value]));
  if (values[PropertyKeys.imageUrl] === undefined && values[PropertyKeys.imageChecksum] === undefined) {
    throw imageError(
      `no OS image is configured; set ${PropertyKeys.osImage} to the name of an OSImage, or set ${PropertyKeys.imageUrl} and ${PropertyKeys.imageChecksum} on the NodeProvider, node type or NodeClaim`,
    );
  }
  const result = readImageProperties(values);
  if (!result.ok) {
    const problems = result.problems.map((p) => p.message).join('; ');
    throw imageError(
      `${problems}; set it on the NodeProvider, node type or NodeClaim, or name an OSImage with ${PropertyKeys.osImage}`,
    );
  }
  return { ...result.image, source: { kind: 'properties' } };
}

export type UserDataSource =
  | { readonly kind: 'inline'; readonly cloudConfig: string; readonly origin: PropertyOrigin }
  | { readonly kind: 'template'; readonly template: string; readonly origin: PropertyOrigin }
  | { readonly kind: 'templateSecret'; readonly secret: SecretReference; readonly origin: PropertyOrigin }
  /** Nothing set: only the generated parts (join command, SSH keys). */
  | { readonly kind: 'generated' };

/** The first of vcluster.com/user-data, -template, -template-secret that is set, as the spec orders them. */
export function resolveUserDataSource(effective: EffectiveProperties): UserDataSource {
  const inline = effective[PropertyKeys.userData];
  if (inline) return { kind: 'inline', cloudConfig: inline.value, origin: inline.origin };
  const template = effective[PropertyKeys.userDataTemplate];
  if (template) return { kind: 'template', template: template.value, origin: template.origin };
  const secret = effective[PropertyKeys.userDataTemplateSecret];
  if (secret) {
    return { kind: 'templateSecret', secret: parseSecretReference(secret.value, false), origin: secret.origin };
  }
  return { kind: 'generated' };
}

export type NetworkDataSource =
  | { readonly kind: 'inline'; readonly networkData: string; readonly origin: PropertyOrigin }
  | { readonly kind: 'template'; readonly template: string; readonly origin: PropertyOrigin }
  | {
      readonly kind: 'templateSecret';
      readonly secret: Required<SecretReference>;
      readonly origin: PropertyOrigin;
    }
  /** Built from the network properties; with neither cidr nor ranges the host configures itself by DHCP. */
  | {
      readonly kind: 'generated';
      /** One network, or an IPv4 and an IPv6 one for a dual-stack node type. */
      readonly cidr?: readonly NetworkCidr[];
      readonly ranges?: readonly IpRange[];
      readonly dnsServers: readonly string[];
      readonly ntpServers: readonly string[];
      readonly reservedAddresses: readonly string[];
    };

function list(effective: EffectiveProperties, key: string): string[] {
  const property = effective[key];
  return property ? parseIpList(property.value) : [];
}

/** metal3.vcluster.com/network-data, else the template, else the template Secret, else generated. */
export function resolveNetworkDataSource(effective: EffectiveProperties): NetworkDataSource {
  const inline = effective[PropertyKeys.networkData];
  if (inline) return { kind: 'inline', networkData: inline.value, origin: inline.origin };
  const template = effective[PropertyKeys.networkDataTemplate];
  if (template) return { kind: 'template', template: template.value, origin: template.origin };
  const secret = effective[PropertyKeys.networkDataTemplateSecret];
  if (secret) {
    const { namespace = '', name } = parseSecretReference(secret.value, true);
    return { kind: 'templateSecret', secret: { namespace, name }, origin: secret.origin };
  }
  const cidr = effective[PropertyKeys.networkCidr];
  const ranges = effective[PropertyKeys.networkIpRange];
  return {
    kind: 'generated',
    ...(cidr && { cidr: parseNetworkCidr(cidr.value) }),
    ...(ranges && { ranges: parseIpRanges(ranges.value) }),
    dnsServers: list(effective, PropertyKeys.dnsServers),
    ntpServers: list(effective, PropertyKeys.ntpServers),
    reservedAddresses: list(effective, PropertyKeys.reservedAddresses),
  };
}

/** SSHKey names from vcluster.com/ssh-keys, to be fetched for user data. */
export function sshKeyNames(effective: EffectiveProperties): string[] {
  const property = effective[PropertyKeys.sshKeys];
  return property ? parseNameList(property.value, 'SSHKey name') : [];
}

function valueOrDefault(effective: EffectiveProperties, key: string): string {
  return effective[key]?.value ?? propertySpec(key)?.default ?? '';
}

export interface ProvisioningSettings {
  /** How many times provisioning is tried before the Machine is reported stuck. */
  readonly attempts: number;
  readonly timeoutMs: number;
  /** metal3.vcluster.com/server-name: the BareMetalHost this Machine is pinned to. */
  readonly serverName?: string;
}

export function provisioningSettings(effective: EffectiveProperties): ProvisioningSettings {
  const serverName = effective[PropertyKeys.serverName]?.value;
  return {
    attempts: parsePositiveInteger(valueOrDefault(effective, PropertyKeys.provisionAttempts)),
    timeoutMs: parseGoDuration(valueOrDefault(effective, PropertyKeys.provisionTimeout)),
    ...(serverName !== undefined && { serverName }),
  };
}
