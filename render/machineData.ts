import { renderMetaData } from './metaData.js';
import { renderNetworkData } from './networkData.js';
import type { TemplateRunOptions } from './renderLimits.js';
import type { MachineRenderInput } from './renderSpec.js';
import { buildTemplateValues } from './templateValues.js';
import { renderUserData } from './userData.js';

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
    document: input.userData,
    values,
    additions: {
      sshAuthorizedKeys: input.sshKeys.map((key) => key.PublicKey),
      runcmd: input.registrationCommands,
    },
    run,
  });
  const networkData = renderNetworkData({
    document: input.networkData,
    values,
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
