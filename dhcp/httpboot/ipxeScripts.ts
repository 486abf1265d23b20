import type { BootHost } from '../hosts/bootHost.js';
import type { ScriptKind } from '../dhcpv4/chooseBootFile.js';

/** Inputs of the iPXE scripts, from `proxy.*` and the server flags. */
export interface ScriptSettings {
  /**
   * Where hosts download the agent kernel and ramdisk: our own `http.advertiseUrl`. The HTTP boot
   * server streams those paths from `proxy.ironicHttpUrl`, because Ironic may sit in a network the
   * hosts cannot reach; they only ever need to reach this server.
   */
  imagesUrl: string;
  /** `proxy.callbackAdvertiseUrl`: the agent talks to Ironic through the callback proxy. */
  callbackUrl: string;
  /** `--inspector-collectors`. */
  inspectorCollectors: string;
  /** `--inspector-extra-kernel-param`, in flag order. */
  inspectorExtraKernelParams: readonly string[];
  /** `--installer-extra-kernel-param`, in flag order. */
  installerExtraKernelParams: readonly string[];
}

/** Ironic's default inspection collectors. */
export const DEFAULT_INSPECTOR_COLLECTORS = 'default,extra-hardware,logs';

/** The line every script prints first, so a serial console shows which script a host ran. */
export function scriptMarker(kind: ScriptKind, host: BootHost): string {
  return `metal3-provider boot script: ${kind} for ${host.host} (${host.mac})`;
}

function agentScript(kind: ScriptKind, host: BootHost, settings: ScriptSettings, params: string[]): string {
  const base = settings.imagesUrl.replace(/\/+$/, '');
  const kernelLine = [
    `${base}/images/ironic-python-agent.kernel`,
    ...params,
    'initrd=ironic-python-agent.initramfs',
  ].join(' ');
  // Downloads are retried until they succeed: a PXE ROM that gives up leaves the host stuck.
  return [
    '#!ipxe',
    `echo ${scriptMarker(kind, host)}`,
    ':download',
    'imgfree',
    `kernel --timeout 60000 ${kernelLine} || goto retry`,
    `initrd --timeout 60000 ${base}/images/ironic-python-agent.initramfs || goto retry`,
    'echo metal3-provider: starting the Ironic agent',
    'boot || goto retry',
    ':retry',
    'echo metal3-provider: download failed, retrying in 5 seconds',
    'sleep 5',
    'goto download',
    '',
  ].join('\n');
}

/** The iPXE script for one host: inspector, installer or boot from the local disk. */
export function renderIpxeScript(kind: ScriptKind, host: BootHost, settings: ScriptSettings): string {
  const callback = settings.callbackUrl.replace(/\/+$/, '');
  const common = [`BOOTIF=${host.mac}`, `ipa-api-url=${callback}`];
  switch (kind) {
    case 'inspector':
      return agentScript(kind, host, settings, [
        ...common,
        `ipa-inspection-callback-url=${callback}/v1/continue_inspection`,
        `ipa-inspection-collectors=${settings.inspectorCollectors}`,
        ...settings.inspectorExtraKernelParams,
      ]);
    case 'installer':
      return agentScript(kind, host, settings, [...common, ...settings.installerExtraKernelParams]);
    case 'local':
      // BIOS: boot the first disk; UEFI (or no disk): leave iPXE so the firmware tries the next boot entry.
      return ['#!ipxe', `echo ${scriptMarker(kind, host)}`, 'sanboot --no-describe --drive 0x80 || exit', ''].join(
        '\n',
      );
  }
}
