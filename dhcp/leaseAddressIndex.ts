import type { BareMetalHost } from '../api/bareMetalHost.js';
import type { BootHost } from './bootHost.js';
import { HostIndex, type IndexChange } from './hostIndex.js';

/** What the callback proxy asks: which known host was leased this address. */
export interface LeaseAddressLookup {
  /** The answerable host whose lease (`metal3.vcluster.com/ip-address`) is this IPv4 address. */
  byAddress(address: string): BootHost | undefined;
}

export function hasAddressLookup<T extends object>(lookup: T): lookup is T & LeaseAddressLookup {
  return typeof (lookup as Partial<LeaseAddressLookup>).byAddress === 'function';
}

/**
 * The host index, also keyed by lease address, for the callback proxy: agents are recognised by
 * the address their lease gave them, and only those addresses are ever called back.
 */
export class LeaseAddressIndex extends HostIndex implements LeaseAddressLookup {
  /** `namespace/name` → the host as currently answered. */
  private readonly answered = new Map<string, BootHost>();

  byAddress(address: string): BootHost | undefined {
    let found: BootHost | undefined;
    for (const host of this.answered.values()) {
      if (host.address !== address) continue;
      // Two hosts annotated with one address: neither is trusted with it.
      if (found) return undefined;
      found = host;
    }
    return found;
  }

  override updateFromBareMetalHost(bmh: BareMetalHost): IndexChange {
    const change = super.updateFromBareMetalHost(bmh);
    const key = `${bmh.metadata.namespace ?? ''}/${bmh.metadata.name}`;
    // A duplicate MAC leaves the host's previous entry in place, so its address stays as it was.
    if (change.kind === 'indexed') this.answered.set(key, change.bootHost);
    else if (change.kind !== 'duplicate-mac') this.answered.delete(key);
    return change;
  }

  override removeBareMetalHost(bmh: BareMetalHost): void {
    super.removeBareMetalHost(bmh);
    this.answered.delete(`${bmh.metadata.namespace ?? ''}/${bmh.metadata.name}`);
  }
}
