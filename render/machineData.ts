import type { BareMetalHost } from '../api/bareMetalHost.js';
import type { NodeClaim } from '../api/nodeClaim.js';
import type { EffectiveProperties } from '../api/resolve/origin.js';
import type { Lease } from '../ipam/lease.js';
import { renderMetaData } from './metaData.js';
import { renderNetworkData } from './networkData.js';
import type { TemplateRunOptions } from './renderLimits.js';
import { buildTemplateValues, type TemplateSshKey } from './templateValues.js';
import { renderUserData } from './userData.js';

/**
 * Everything a Machine's data is rendered from, fetched by the caller. Plain data: no I/O happens
 * while rendering.
 */
export interface MachineRenderInput {
  readonly claim: NodeClaim;
  /** The project the node belongs to; defaults to `claim.spec.project`. */
  readonly project?: string | undefined;
  /** From resolveEffectiveProperties. */
  readonly effective: EffectiveProperties;
  /** The keys vcluster.com/ssh-keys names, in its order (selectSshKeys builds them from SSHKey objects). */
  readonly sshKeys: readonly TemplateSshKey[];
  /**
   * The claimed host as read. Absent only when previewing without a host (the render command):
   * `.BareMetalHost` is then an empty map and generated network data needs `bootMacAddress`.
   */
  readonly bareMetalHost?: BareMetalHost | undefined;
  /** The address IPAM allocated (allocateAddress's result); absent when the host uses DHCP only. */
  readonly lease?: Lease | undefined;
  /** Templates read from the Secrets the template-secret properties name (see readTemplateSecret). */
  readonly templates: {
    readonly userDataTemplateSecret?: string | undefined;
    readonly networkDataTemplateSecret?: string | undefined;
  };
  /** The registration (join) commands, appended after the user's own runcmd entries. */
  readonly registrationCommands: readonly string[];
  /** Overrides the host's spec.bootMACAddress as the NIC generated network data describes. */
  readonly bootMacAddress?: string | undefined;
}

export interface MachineData {
  /** `#cloud-config`, or MIME multipart when the user's data is a script or other format. */
  readonly userData: string;
  /** OpenStack network_data.json or the user's document; absent: DHCP. */
  readonly networkData?: string;
  /** YAML map of strings: instance id and host name. */
  readonly metaData: string;
}

/** The boot NIC: the override, else the host's spec.bootMACAddress, else the NIC inspection saw PXE boot. */
function bootMacAddress(input: MachineRenderInput): string | undefined {
  const host = input.bareMetalHost;
  return (
    input.bootMacAddress ??
    host?.spec.bootMACAddress ??
    host?.status?.hardware?.nics?.find((nic) => nic.pxe === true && nic.mac !== undefined)?.mac
  );
}

/**
 * A Machine's user data, network data and meta data. Pure and deterministic. Throws UserDataError
 * or NetworkDataError (both MachineDataError) naming the property at fault, or RenderLimitError when
 * a template exceeds a limit of `run`; configuration errors, which no retry fixes. Never returns
 * partly rendered data. This runs in the caller's thread: workers render through RenderPool instead,
 * which runs it in a thread of its own with a deadline and a memory limit.
 */
export function renderMachineData(input: MachineRenderInput, run?: TemplateRunOptions): MachineData {
  const values = buildTemplateValues(input);
  const userData = renderUserData({
    effective: input.effective,
    values,
    templateSecretText: input.templates.userDataTemplateSecret,
    additions: {
      sshAuthorizedKeys: input.sshKeys.map((key) => key.PublicKey),
      runcmd: input.registrationCommands,
    },
    run,
  });
  const networkData = renderNetworkData({
    effective: input.effective,
    values,
    templateSecretText: input.templates.networkDataTemplateSecret,
    lease: input.lease,
    bootMacAddress: bootMacAddress(input),
    hostName: input.bareMetalHost?.metadata.name,
    run,
  });
  return {
    userData,
    ...(networkData !== undefined && { networkData }),
    metaData: renderMetaData(input.claim),
  };
}
