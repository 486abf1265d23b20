import { Option, type DhcpOptions } from './dhcpPacket.js';

/** Which iPXE script a host gets. */
export type ScriptKind = 'inspector' | 'installer' | 'local';

export type BootDecision =
  /** A PXE ROM: load an iPXE binary over TFTP. */
  | { kind: 'pxe-tftp'; file: string }
  /** iPXE itself: fetch the host's script over HTTP. */
  | { kind: 'ipxe-script'; script: ScriptKind; url: string }
  /** UEFI HTTP Boot: an absolute URL of an iPXE binary; option 60 is echoed. */
  | { kind: 'uefi-http'; url: string }
  /** Not a network-boot client, or nothing suitable to offer (`reason` says what is missing). */
  | { kind: 'none'; reason?: string };

export interface BootSettings {
  /** TFTP is off when `tftp.listenAddr` is "". */
  tftpEnabled: boolean;
  /** `http.advertiseUrl` without a trailing slash. */
  httpBaseUrl: string;
  /** Relative paths of the files in the boot-file root, to pick binaries that exist. */
  bootFiles: ReadonlySet<string>;
}

/** RFC 4578 §2.1 / IANA processor architecture types. */
const ARCH = {
  x86Bios: 0,
  x86Uefi: 6,
  x64Uefi: 7,
  ebc: 9,
  arm64Uefi: 11,
  x86UefiHttp: 15,
  x64UefiHttp: 16,
  arm64UefiHttp: 19,
} as const;

const X86_EFI_BINARIES = ['snponly.efi', 'ipxe.efi'];
const ARM64_EFI_BINARIES = ['arm64/snponly.efi', 'arm64/ipxe.efi'];

/** The BMH provisioning state decides the script: the Ironic agent runs for inspection and (de)provisioning. */
export function chooseScript(provisioningState: string): ScriptKind {
  if (provisioningState === 'inspecting') return 'inspector';
  if (provisioningState === 'provisioning' || provisioningState === 'deprovisioning') return 'installer';
  return 'local';
}

export function scriptUrl(httpBaseUrl: string, script: ScriptKind, mac: string): string {
  return `${httpBaseUrl}/ipxe/${script}.ipxe?mac=${mac}`;
}

export function bootFileUrl(httpBaseUrl: string, file: string): string {
  return `${httpBaseUrl}/boot/${file}`;
}

function isIpxe(options: DhcpOptions): boolean {
  // iPXE sends option 77 as the bare string "iPXE" (not RFC 3004 framed) and its own option 175.
  return options.get(Option.UserClass)?.toString('latin1') === 'iPXE' || options.has(Option.IpxeEncapsulated);
}

function firstArch(options: DhcpOptions): number | undefined {
  const value = options.get(Option.ClientSystemArchitecture);
  return value && value.length >= 2 ? value.readUInt16BE(0) : undefined;
}

function efiBinary(arch: number, bootFiles: ReadonlySet<string>): string | undefined {
  const candidates = arch === ARCH.arm64Uefi || arch === ARCH.arm64UefiHttp ? ARM64_EFI_BINARIES : X86_EFI_BINARIES;
  return candidates.find((file) => bootFiles.has(file));
}

/** The boot decision for one client, from its options and the host's BMH state. */
export function chooseBootFile(
  options: DhcpOptions,
  mac: string,
  provisioningState: string,
  settings: BootSettings,
): BootDecision {
  if (isIpxe(options)) {
    const script = chooseScript(provisioningState);
    return { kind: 'ipxe-script', script, url: scriptUrl(settings.httpBaseUrl, script, mac) };
  }
  const vendorClass = options.get(Option.VendorClassIdentifier)?.toString('latin1') ?? '';
  // RFC 4578 §2.1: a PXE client without option 93 is an x86 BIOS.
  const arch = firstArch(options) ?? ARCH.x86Bios;

  if (vendorClass.startsWith('HTTPClient')) {
    if (arch !== ARCH.x86UefiHttp && arch !== ARCH.x64UefiHttp && arch !== ARCH.arm64UefiHttp) {
      return { kind: 'none', reason: `HTTP Boot architecture ${arch} is not supported (15, 16 or 19)` };
    }
    const file = efiBinary(arch, settings.bootFiles);
    return file
      ? { kind: 'uefi-http', url: bootFileUrl(settings.httpBaseUrl, file) }
      : { kind: 'none', reason: `no iPXE EFI binary for architecture ${arch} in the boot files` };
  }

  if (vendorClass.startsWith('PXEClient')) {
    if (!settings.tftpEnabled)
      return { kind: 'none', reason: 'PXE client, but TFTP is disabled (tftp.listenAddr is "")' };
    if (arch === ARCH.x86Bios) {
      return settings.bootFiles.has('undionly.kpxe')
        ? { kind: 'pxe-tftp', file: 'undionly.kpxe' }
        : { kind: 'none', reason: 'undionly.kpxe is not in the boot files' };
    }
    if (arch === ARCH.x86Uefi || arch === ARCH.x64Uefi || arch === ARCH.ebc || arch === ARCH.arm64Uefi) {
      const file = efiBinary(arch, settings.bootFiles);
      return file
        ? { kind: 'pxe-tftp', file }
        : { kind: 'none', reason: `no iPXE EFI binary for architecture ${arch} in the boot files` };
    }
    return { kind: 'none', reason: `PXE architecture ${arch} is not supported` };
  }
  return { kind: 'none' };
}
