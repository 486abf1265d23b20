import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { pino } from 'pino';
import { parse as parseYaml } from 'yaml';
import { BootServerConfigError, resolveBootServerConfig } from '../dhcp/bootServerConfig.js';
import { startBootServers } from '../dhcp/bootServers.js';
import { LeaseAddressIndex } from '../dhcp/leaseAddressIndex.js';
import { loadHostsFile } from '../dhcp/loadHostsFile.js';
import { logIndexChange } from '../dhcp/logIndexChange.js';
import { watchBareMetalHosts } from '../dhcp/watchBareMetalHosts.js';
import { loadKubeConfig } from '../k8s/kubeClient.js';

interface BootServerOptions {
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
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `metal3-provider boot-server`: DHCP, TFTP and HTTP boot, configured by the DHCP chart's values and flags. */
export function registerBootServerCommand(program: Command): void {
  program
    .command('boot-server')
    .description('run the DHCP, TFTP and HTTP boot servers for BareMetalHosts')
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
    .option('--kubeconfig <file>', 'kubeconfig for --watch-namespace (default: in-cluster, KUBECONFIG, ~/.kube/config)')
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
    .action(async (options: BootServerOptions) => {
      const logger = pino({ level: options.logLevel });
      let config;
      try {
        const values = await Promise.all(
          options.values.map(async (file) => parseYaml(await readFile(file, 'utf8')) as unknown),
        );
        config = resolveBootServerConfig({ values, sets: options.set, flags: options, env: process.env });
      } catch (error) {
        if (!(error instanceof BootServerConfigError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 2;
        return;
      }
      // Also keyed by lease address: the callback proxy recognises agents by the address they were leased.
      const index = new LeaseAddressIndex();
      if (options.hostsFile)
        for (const change of await loadHostsFile(options.hostsFile, index)) logIndexChange(logger, change);
      const stopWatch = options.watchNamespace
        ? await watchBareMetalHosts(loadKubeConfig(options.kubeconfig), options.watchNamespace, index, logger)
        : undefined;
      const servers = await startBootServers(config, options.bootFilesDir, index, logger);
      const stop = (): void => {
        logger.info(
          {
            dhcp: servers.dhcp.stats,
            tftp: servers.tftp?.stats,
            ironicHttpProxy: servers.http.proxyStats,
            callbackProxy: servers.callback?.stats,
          },
          'boot servers stopping',
        );
        void Promise.all([servers.close(), stopWatch?.()]);
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
