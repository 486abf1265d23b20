import type { BareMetalHost } from '../api/bareMetalHost.js';
import type { NodeClaim } from '../api/nodeClaim.js';
import { PropertyKeys } from '../api/properties/keys.js';
import { propertyValues } from '../api/resolve/effectiveProperties.js';
import type { EffectiveProperties } from '../api/resolve/origin.js';
import {
  resolveNetworkDataSource,
  resolveUserDataSource,
  type NetworkDataSource,
  type UserDataSource,
} from '../api/resolve/sources.js';
import type { Lease } from '../ipam/lease.js';
import { networkDataFailure, userDataFailure } from './errors.js';
import { templateSecretDocument, type DocumentFailure, type PropertyDocument } from './propertyDocument.js';

/** One entry of `.SSHKeys`: the SSHKey's name and its public key line. */
export interface TemplateSshKey {
  readonly Name: string;
  readonly PublicKey: string;
}

/**
 * What a Machine's data is rendered from, with its properties parsed once: the resolve step builds it
 * when the Machine starts and keeps it in the Machine's snapshot Secret (it holds user data and join
 * commands), the render command builds it from files. Rendering reads only this, the host and the lease.
 */
export interface MachineRenderSpec {
  readonly claim: NodeClaim;
  /** The project the node belongs to (`claim.spec.project` unless overridden). */
  readonly project: string;
  /** The effective property values, as templates see them in `.Properties`. */
  readonly properties: Readonly<Record<string, string>>;
  /** The keys vcluster.com/ssh-keys names, in its order (selectSshKeys builds them from SSHKey objects). */
  readonly sshKeys: readonly TemplateSshKey[];
  /** The registration (join) commands, appended after the user's own runcmd entries. */
  readonly registrationCommands: readonly string[];
  /** The user-data document the spec's order chose; absent: only the generated parts. */
  readonly userData?: PropertyDocument | undefined;
  /** The network-data document the spec's order chose; absent: generated from the lease, or DHCP. */
  readonly networkData?: PropertyDocument | undefined;
}

/** A render spec with what is known only once a host is claimed. */
export interface MachineRenderInput extends MachineRenderSpec {
  /**
   * The claimed host as read. Absent only when previewing without a host (the render command):
   * `.BareMetalHost` is then an empty map and generated network data needs `bootMacAddress`.
   */
  readonly bareMetalHost?: BareMetalHost | undefined;
  /** The address IPAM allocated (allocateAddress's result); absent when the host uses DHCP only. */
  readonly lease?: Lease | undefined;
  /** Overrides the host's spec.bootMACAddress as the NIC generated network data describes. */
  readonly bootMacAddress?: string | undefined;
}

/** What the resolve step gathers for the render spec, each data source already parsed from the properties. */
export interface RenderSources {
  readonly claim: NodeClaim;
  /** Overrides `claim.spec.project`. */
  readonly project?: string | undefined;
  readonly effective: EffectiveProperties;
  readonly sshKeys: readonly TemplateSshKey[];
  readonly registrationCommands: readonly string[];
  readonly userDataSource: UserDataSource;
  readonly networkDataSource: NetworkDataSource;
  /** Templates read from the Secrets the template-secret properties name (see readTemplateSecret). */
  readonly templates: {
    readonly userDataTemplateSecret?: string | undefined;
    readonly networkDataTemplateSecret?: string | undefined;
  };
}

/** The properties a data kind is read from, in the spec's order, and its typed error. */
interface DocumentKeys {
  readonly inline: string;
  readonly template: string;
  readonly templateSecret: string;
  readonly fail: DocumentFailure;
}

const USER_DATA: DocumentKeys = {
  inline: PropertyKeys.userData,
  template: PropertyKeys.userDataTemplate,
  templateSecret: PropertyKeys.userDataTemplateSecret,
  fail: userDataFailure,
};

const NETWORK_DATA: DocumentKeys = {
  inline: PropertyKeys.networkData,
  template: PropertyKeys.networkDataTemplate,
  templateSecret: PropertyKeys.networkDataTemplateSecret,
  fail: networkDataFailure,
};

/** The document the first property set gives: as written, a template, or a template Secret's template. */
function chooseDocument(
  source: UserDataSource | NetworkDataSource,
  secretText: string | undefined,
  keys: DocumentKeys,
): PropertyDocument | undefined {
  switch (source.kind) {
    case 'inline':
      return {
        property: keys.inline,
        origin: source.origin,
        text: 'cloudConfig' in source ? source.cloudConfig : source.networkData,
      };
    case 'template':
      return { property: keys.template, origin: source.origin, text: source.template, templateName: keys.template };
    case 'templateSecret':
      return templateSecretDocument(keys.templateSecret, source.origin, source.secret, secretText, keys.fail);
    case 'generated':
      return undefined;
  }
}

/**
 * The render spec from what the resolve step gathered. Throws UserDataError or NetworkDataError
 * when a template Secret's text is missing.
 */
export function buildRenderSpec(sources: RenderSources): MachineRenderSpec {
  const { templates } = sources;
  const userData = chooseDocument(sources.userDataSource, templates.userDataTemplateSecret, USER_DATA);
  const networkData = chooseDocument(sources.networkDataSource, templates.networkDataTemplateSecret, NETWORK_DATA);
  return {
    claim: sources.claim,
    project: sources.project ?? sources.claim.spec.project ?? '',
    properties: propertyValues(sources.effective),
    sshKeys: sources.sshKeys.map(({ Name, PublicKey }) => ({ Name, PublicKey })),
    registrationCommands: [...sources.registrationCommands],
    ...(userData && { userData }),
    ...(networkData && { networkData }),
  };
}

/** The render spec of effective properties not parsed yet: for the render command and snapshots from before. */
export function renderSpecOf(sources: Omit<RenderSources, 'userDataSource' | 'networkDataSource'>): MachineRenderSpec {
  return buildRenderSpec({
    ...sources,
    userDataSource: resolveUserDataSource(sources.effective),
    networkDataSource: resolveNetworkDataSource(sources.effective),
  });
}
