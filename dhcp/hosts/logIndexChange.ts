import type { Logger } from 'pino';
import type { IndexChange } from './hostIndex.js';

/** One log line per host index change; hosts that cannot be answered get a warning naming them. */
export function logIndexChange(logger: Logger, change: IndexChange): void {
  switch (change.kind) {
    case 'indexed':
      logger.debug(
        { host: change.bootHost.host, mac: change.bootHost.mac, ip: change.bootHost.address },
        'boot host indexed',
      );
      return;
    case 'unusable':
      logger.warn(
        { host: change.unusable.host, mac: change.unusable.mac },
        `BareMetalHost ${change.unusable.host} will not be answered: ${change.unusable.problem}`,
      );
      return;
    case 'duplicate-mac':
      logger.warn(
        { host: change.host, mac: change.mac, owner: change.owner },
        `BareMetalHost ${change.host} has boot MAC ${change.mac}, already used by ${change.owner}; it will not be answered`,
      );
      return;
    case 'not-indexed':
      logger.debug({ host: change.host }, 'BareMetalHost has no boot MAC or is being deleted');
      return;
  }
}
