import type { Command } from 'commander';
import { pino } from 'pino';
import { startBootServers } from '../dhcp/bootServers.js';
import { LeaseAddressIndex } from '../dhcp/hosts/leaseAddressIndex.js';
import { loadKubeConfig } from '../k8s/kubeClient.js';
import {
  addBootServerOptions,
  bootServerConfigOrExit,
  startHostSources,
  type BootServerOptions,
} from './bootServerOptions.js';

/** `metal3-provider boot-server`: DHCP, TFTP and HTTP boot, configured by the DHCP chart's values and flags. */
export function registerBootServerCommand(program: Command): void {
  addBootServerOptions(
    program.command('boot-server').description('run the DHCP, TFTP and HTTP boot servers for BareMetalHosts'),
  ).action(async (options: BootServerOptions) => {
    const logger = pino({ level: options.logLevel });
    const config = await bootServerConfigOrExit(options);
    if (!config) return;
    // Also keyed by lease address: the callback proxy recognises agents by the address they were leased.
    const index = new LeaseAddressIndex();
    const stopHosts = await startHostSources(options, () => loadKubeConfig(options.kubeconfig), index, logger);
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
      void Promise.all([servers.close(), stopHosts()]);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
