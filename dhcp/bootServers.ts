import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { BootServerConfig } from './config/bootServerConfig.js';
import { CallbackProxy } from './proxy/callbackProxy.js';
import { DhcpServer } from './dhcpv4/dhcpServer.js';
import { hasAddressLookup, type HostLookup } from './hosts/hostLookup.js';
import { HttpBootServer } from './httpboot/httpBootServer.js';
import { TftpServer } from './tftp/tftpServer.js';

/** Lease time of every answer; addresses are fixed per host, so renewals only re-read annotations. */
export const LEASE_SECONDS = 3600;

export interface BootServers {
  dhcp: DhcpServer;
  tftp: TftpServer | undefined;
  http: HttpBootServer;
  /** Absent when `proxy.ironicApiUrl` is empty. */
  callback: CallbackProxy | undefined;
  close(): Promise<void>;
}

/** Relative paths of the regular files in the boot-file root and its direct subdirectories. */
export async function listBootFiles(root: string): Promise<Set<string>> {
  const files = new Set<string>();
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (entry.isFile()) files.add(entry.name);
    else if (entry.isDirectory()) {
      for (const inner of await readdir(path.join(root, entry.name), { withFileTypes: true })) {
        if (inner.isFile()) files.add(`${entry.name}/${inner.name}`);
      }
    }
  }
  return files;
}

/**
 * Starts HTTP, the IPA callback proxy (when `proxy.ironicApiUrl` is set and `lookup` can find hosts
 * by lease address, as LeaseAddressIndex does), TFTP (unless disabled) and DHCP; if one fails to
 * start, the others are closed again.
 */
export async function startBootServers(
  config: BootServerConfig,
  bootFilesDir: string,
  lookup: HostLookup,
  logger: Logger,
): Promise<BootServers> {
  const bootFiles = await listBootFiles(bootFilesDir);
  const http = new HttpBootServer({
    listenHost: config.http.listen.host,
    port: config.http.listen.port,
    root: bootFilesDir,
    lookup,
    scripts: config.scripts,
    ironicHttpUrl: config.proxy.ironicHttpUrl,
    logger: logger.child({ server: 'http' }),
  });
  let callback: CallbackProxy | undefined;
  if (config.proxy.ironicApiUrl === '') {
    logger.info('IPA callback proxy disabled (proxy.ironicApiUrl is empty); agents cannot reach Ironic through us');
  } else if (!hasAddressLookup(lookup)) {
    logger.warn('IPA callback proxy disabled: the host source cannot find hosts by lease address');
  } else {
    callback = new CallbackProxy({
      listenHost: config.proxy.callbackListen.host,
      port: config.proxy.callbackListen.port,
      advertiseUrl: config.proxy.callbackAdvertiseUrl,
      ironicApiUrl: config.proxy.ironicApiUrl,
      hosts: lookup,
      insecureSkipVerify: config.callbackInsecureSkipVerify,
      logger: logger.child({ server: 'callback' }),
    });
  }
  const tftp = config.tftp
    ? new TftpServer({
        listenHost: config.tftp.listen.host,
        port: config.tftp.listen.port,
        root: bootFilesDir,
        busyPollMicros: config.tftp.busyPollMicros,
        maxTransfers: config.tftp.maxTransfers,
        maxTransfersPerClient: config.tftp.maxTransfersPerClient,
        logger: logger.child({ server: 'tftp' }),
      })
    : undefined;
  const dhcp = new DhcpServer({
    listenHost: config.dhcp.listen.host,
    lookup,
    logger: logger.child({ server: 'dhcp' }),
    settings: {
      serverIp: config.dhcp.serverIp,
      serverPort: config.dhcp.listen.port,
      // The client port is the server port plus one, as 67/68; tests on high ports keep the pairing.
      clientPort: config.dhcp.listen.port + 1,
      leaseSeconds: LEASE_SECONDS,
      tftpEnabled: tftp !== undefined,
      httpBaseUrl: config.http.advertiseUrl,
      bootFiles,
    },
  });
  const started: { close(): Promise<void> }[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(started.map((server) => server.close()));
  };
  try {
    for (const server of [http, ...(callback ? [callback] : []), ...(tftp ? [tftp] : []), dhcp]) {
      await server.start();
      started.push(server);
    }
  } catch (error) {
    await close();
    throw error;
  }
  if (!tftp) logger.info('TFTP disabled (tftp.listenAddr is ""); HTTP Boot still works');
  return { dhcp, tftp, http, callback, close };
}
