import { PropertyKeys as K } from './keys.js';
import { checkTemplateParses } from './templateCheck.js';
import { parseYamlMapping } from './documents.js';
import {
  PropertyValueError,
  parseGoDuration,
  parseIpList,
  parseIpRanges,
  parseNameList,
  parseNetworkCidr,
  parseObjectName,
  parsePositiveInteger,
  parseSecretReference,
} from './values.js';

/** The places a property may be written. */
export type PropertyLocation = 'nodeProvider' | 'nodeType' | 'nodeClaim' | 'osImage' | 'nodeEnvironment';

export const LOCATION_NAMES: Record<PropertyLocation, string> = {
  nodeProvider: 'a NodeProvider',
  nodeType: 'a node type',
  nodeClaim: 'a NodeClaim',
  osImage: 'an OSImage',
  nodeEnvironment: 'a NodeEnvironment',
};

export interface PropertySpec {
  readonly key: string;
  /** What the value is, in the spec's words; shown by documentation and errors. */
  readonly type: string;
  readonly where: readonly PropertyLocation[];
  readonly default?: string;
  /** Throws PropertyValueError when the value is not acceptable. */
  readonly check: (value: string, key: string) => void;
}

/** Prefixes whose keys we own: a key under them that is not in the catalogue is a typo. */
export const RESERVED_PREFIXES = ['metal3.vcluster.com/', 'metal3-provider.io/'] as const;

/**
 * The platform's prefix: the catalogue's keys under it are read here, and the platform and its other
 * providers define more. An unknown one is no mistake of this configuration, so `validate` warns
 * that this provider does not use it instead of refusing it.
 */
export const PLATFORM_PREFIX = 'vcluster.com/';

/*
 * The NodeProvider takes every key a node type takes: its properties are defaults of all its node
 * types (the spec merges "NodeProvider, NodeType, and NodeClaim"). Keys about one Machine
 * (server-name, node-type) stay on the NodeClaim.
 */
const MACHINE: readonly PropertyLocation[] = ['nodeProvider', 'nodeType', 'nodeClaim'];
const IMAGE: readonly PropertyLocation[] = ['nodeProvider', 'nodeType', 'nodeClaim', 'osImage'];
const NETWORK: readonly PropertyLocation[] = ['nodeProvider', 'nodeType', 'nodeClaim', 'nodeEnvironment'];

const anyString = (): void => undefined;
const template = (value: string, key: string): void => {
  checkTemplateParses(key, value);
};

function checkUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PropertyValueError(`${JSON.stringify(value)} is not a URL`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) {
    throw new PropertyValueError(`${JSON.stringify(value)} must be an http:// or https:// URL`);
  }
}

/** Hex digest lengths of the checksum types Metal3 supports. */
export const CHECKSUM_HEX_LENGTH = { md5: 32, sha256: 64, sha512: 128 } as const;
export type ChecksumType = keyof typeof CHECKSUM_HEX_LENGTH;

function checkChecksum(value: string): void {
  // Metal3 also accepts the URL of a checksum file.
  if (/^https?:\/\//.test(value)) {
    checkUrl(value);
    return;
  }
  const lengths = Object.values(CHECKSUM_HEX_LENGTH) as number[];
  if (!/^[0-9a-fA-F]+$/.test(value) || !lengths.includes(value.length)) {
    throw new PropertyValueError(
      `${JSON.stringify(value)} is not an md5, sha256 or sha512 hex digest (32, 64 or 128 hex digits) nor a URL of a checksum file`,
    );
  }
}

function checkChecksumType(value: string): void {
  if (!(value in CHECKSUM_HEX_LENGTH)) {
    throw new PropertyValueError(
      `${JSON.stringify(value)} is not a checksum type; use md5, sha256 or sha512, or leave it unset to detect it from the checksum`,
    );
  }
}

/** Every property key the provider reads, once. */
export const PROPERTY_CATALOGUE: readonly PropertySpec[] = [
  { key: K.osImage, type: 'OSImage name', where: MACHINE, check: (v) => parseObjectName(v, 'OSImage name') },
  { key: K.imageUrl, type: 'http(s) URL', where: IMAGE, check: checkUrl },
  { key: K.imageChecksum, type: 'hex digest or URL', where: IMAGE, check: checkChecksum },
  { key: K.imageChecksumType, type: 'md5 | sha256 | sha512', where: IMAGE, check: checkChecksumType },
  {
    key: K.networkCidr,
    type: 'gateway/prefix (CIDR), IPv4 or IPv6; dual-stack: IPv4,IPv6 pair',
    where: NETWORK,
    check: parseNetworkCidr,
  },
  {
    key: K.networkIpRange,
    type: 'IP1-IP2[,IP3-IP4…], ranges of either family',
    where: NETWORK,
    check: parseIpRanges,
  },
  { key: K.dnsServers, type: 'comma-separated IPs', where: NETWORK, check: parseIpList },
  {
    key: K.networkData,
    type: 'network data (YAML or JSON)',
    where: NETWORK,
    check: (v) => parseYamlMapping(v),
  },
  { key: K.networkDataTemplate, type: 'Go template', where: NETWORK, check: template },
  {
    key: K.networkDataTemplateSecret,
    type: '<namespace>/<name>',
    where: NETWORK,
    check: (v) => parseSecretReference(v, true),
  },
  {
    key: K.networkEnvironment,
    type: 'NodeEnvironment name',
    where: MACHINE,
    check: (v) => parseObjectName(v, 'NodeEnvironment name'),
  },
  {
    key: K.serverName,
    type: 'BareMetalHost name',
    where: ['nodeClaim'],
    check: (v) => parseObjectName(v, 'BareMetalHost name'),
  },
  {
    key: K.sshKeys,
    type: 'comma-separated SSHKey names',
    where: NETWORK,
    check: (v) => parseNameList(v, 'SSHKey name'),
  },
  {
    key: K.userData,
    type: 'cloud-config',
    where: NETWORK,
    check: (v) => parseYamlMapping(v),
  },
  { key: K.userDataTemplate, type: 'Go template', where: NETWORK, check: template },
  {
    key: K.userDataTemplateSecret,
    type: '<name> or <namespace>/<name>',
    where: NETWORK,
    check: (v) => parseSecretReference(v, false),
  },
  { key: K.nodeType, type: 'node type name', where: ['nodeClaim'], check: anyString },
  {
    key: K.provisionAttempts,
    type: 'whole number ≥ 1',
    where: MACHINE,
    default: '2',
    check: parsePositiveInteger,
  },
  {
    key: K.provisionTimeout,
    type: 'Go duration',
    where: MACHINE,
    default: '60m',
    check: parseGoDuration,
  },
  { key: K.ntpServers, type: 'comma-separated IPs', where: NETWORK, check: parseIpList },
  { key: K.reservedAddresses, type: 'comma-separated IPs', where: NETWORK, check: parseIpList },
  {
    key: K.joinSecret,
    type: '<name> or <namespace>/<name>',
    where: MACHINE,
    check: (v) => parseSecretReference(v, false),
  },
];

/**
 * Keys the provider writes on BareMetalHosts for the DHCP server. Users who copy them into
 * properties are told what to set instead.
 */
export const HOST_ANNOTATION_HINTS: Readonly<Record<string, string>> = {
  'metal3.vcluster.com/ip-address': `set ${K.networkCidr} or ${K.networkIpRange} and the provider allocates the address`,
  'metal3.vcluster.com/gateway': `the gateway is the host part of ${K.networkCidr}`,
  'metal3.vcluster.com/ntp-servers': `as a property, use ${K.ntpServers}`,
};

const BY_KEY = new Map(PROPERTY_CATALOGUE.map((spec) => [spec.key, spec]));

export function propertySpec(key: string): PropertySpec | undefined {
  return BY_KEY.get(key);
}

export function propertyKeys(): string[] {
  return [...BY_KEY.keys()];
}

export function isReservedKey(key: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** A `vcluster.com/*` key that is not in the catalogue: the platform's, not used by this provider. */
export function isUnusedPlatformKey(key: string): boolean {
  return key.startsWith(PLATFORM_PREFIX) && !BY_KEY.has(key);
}
