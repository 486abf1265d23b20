import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import {
  BootServerConfigError,
  resolveBootServerConfig,
  type BootServerConfig,
} from '../dhcp/config/bootServerConfig.js';
import { DEFAULT_TFTP_BUSY_POLL_MICROS } from '../dhcp/tftp/busyPoll.js';
import { DEFAULT_TFTP_MAX_TRANSFERS, DEFAULT_TFTP_MAX_TRANSFERS_PER_CLIENT } from '../dhcp/tftp/tftpTransferLimits.js';
import type { HostIndex } from '../dhcp/hosts/hostIndex.js';
import { loadHostsFile } from '../dhcp/hosts/loadHostsFile.js';
import { logIndexChange } from '../dhcp/hosts/logIndexChange.js';
import { watchBareMetalHosts } from '../dhcp/hosts/watchBareMetalHosts.js';
import type { KubeConfig } from '../k8s/kubernetesClient.js';

/**
 * The boot servers' command-line surface, shared by `boot-server` and `worker boot`: the DHCP chart's
 * values (`-f`, `--set`), the server flags, the boot files and the host sources.
 */
export interface BootServerOptions {
  values: string[];
  set: string[];
  bootFilesDir: string;
  hostsFile?: string;
  watchNamespace?: string;
  kubeconfig?: string;
  logLevel: string;
  inspectorCollectors?: string;
  inspectorExtraKernelParam: string[];
  installerExtraKernelParam: string[];
  callbackInsecureSkipVerify?: boolean;
  tftpBusyPoll?: string;
  tftpMaxTransfers?: string;
  tftpMaxTransfersPerClient?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addBootServerOptions(command: Command): Command {
  return command
    .option(
      '-f, --values <file>',
      'Helm values file of the DHCP chart (dhcp.*, tftp.*, http.*, proxy.*); repeatable',
      collect,
      [],
    )
    .option('--set <key=value>', 'set one value, e.g. dhcp.serverIP=10.0.0.2; repeatable', collect, [])
    .option(
      '--boot-files-dir <dir>',
      'directory with the iPXE binaries, served read-only over TFTP and HTTP',
      '/usr/lib/ipxe',
    )
    .option('--hosts-file <file>', 'YAML file of BareMetalHost documents to answer (a static host source)')
    .option('--watch-namespace <namespace>', 'answer the BareMetalHosts of this namespace, following changes live')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster (default: in-cluster, KUBECONFIG, ~/.kube/config)')
    .option('--log-level <level>', 'pino log level', 'info')
    .option('--inspector-collectors <list>', 'comma-separated ipa-inspection-collectors for the inspector iPXE script')
    .option(
      '--inspector-extra-kernel-param <param>',
      'extra kernel parameter for the inspector iPXE script; repeatable',
      collect,
      [],
    )
    .option(
      '--installer-extra-kernel-param <param>',
      'extra kernel parameter for the installer iPXE script; repeatable',
      collect,
      [],
    )
    .option(
      '--callback-insecure-skip-verify',
      'skip TLS verification when the callback proxy forwards to IPA (by default the certificate the agent sent in its heartbeat is required)',
    )
    .option(
      '--tftp-busy-poll <microseconds>',
      `how long the TFTP server polls for the next ACK before it sleeps; faster transfers for some CPU, 0 turns it off (default ${DEFAULT_TFTP_BUSY_POLL_MICROS})`,
    )
    .option(
      '--tftp-max-transfers <count>',
      `concurrent TFTP transfers in all; requests beyond get an ERROR saying the server is busy (default ${DEFAULT_TFTP_MAX_TRANSFERS})`,
    )
    .option(
      '--tftp-max-transfers-per-client <count>',
      `concurrent TFTP transfers from one client address; requests beyond get an ERROR naming the limit (default ${DEFAULT_TFTP_MAX_TRANSFERS_PER_CLIENT})`,
    );
}

/** Values files, `--set` and flags resolved as the chart would; throws BootServerConfigError naming every problem. */
export async function loadBootServerConfig(options: BootServerOptions): Promise<BootServerConfig> {
  const values = await Promise.all(
    options.values.map(async (file) => parseYaml(await readFile(file, 'utf8')) as unknown),
  );
  return resolveBootServerConfig({ values, sets: options.set, flags: options, env: process.env });
}

/**
 * The configuration, or undefined once every problem is printed and the exit code set to 2: a bad
 * configuration stops start-up before any server binds.
 */
export async function bootServerConfigOrExit(options: BootServerOptions): Promise<BootServerConfig | undefined> {
  try {
    return await loadBootServerConfig(options);
  } catch (error) {
    if (!(error instanceof BootServerConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return undefined;
  }
}

/**
 * Fills the host index from `--hosts-file` and/or the BareMetalHost watch of `--watch-namespace`;
 * resolves once both are loaded (the watch has listed every host). Returns what stops the watch.
 */
export async function startHostSources(
  options: Pick<BootServerOptions, 'hostsFile' | 'watchNamespace'>,
  kubeConfig: () => KubeConfig,
  index: HostIndex,
  logger: Logger,
): Promise<() => Promise<void>> {
  if (options.hostsFile)
    for (const change of await loadHostsFile(options.hostsFile, index)) logIndexChange(logger, change);
  if (!options.watchNamespace) return () => Promise.resolve();
  return watchBareMetalHosts(kubeConfig(), options.watchNamespace, index, logger);
}
