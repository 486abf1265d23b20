import type { BareMetalHost } from '../../api/bareMetalHost.js';
import type { BootHost } from './bootHost.js';
import { callbackCallerFromBareMetalHost, type CallbackCaller } from './callbackCaller.js';
import { HostIndex, type IndexChange } from './hostIndex.js';
import type { LeaseAddressLookup } from './hostLookup.js';

/**
 * The host index, also keyed by lease address, for the callback proxy: agents are recognised by
 * the address their lease gave them, and only those addresses are ever called back.
 */
export class LeaseAddressIndex extends HostIndex implements LeaseAddressLookup {
  /** `namespace/name` → the host as currently answered. */
  private readonly answered = new Map<string, CallbackCaller>();

  byAddress(address: string): BootHost | undefined {
    return this.callerByAddress(address)?.host;
  }

  callerByAddress(address: string): CallbackCaller | undefined {
    let found: CallbackCaller | undefined;
    for (const caller of this.answered.values()) {
      if (caller.host.address !== address) continue;
      // Two hosts annotated with one address: neither is trusted with it.
      if (found) return undefined;
      found = caller;
    }
    return found;
  }

  override updateFromBareMetalHost(bmh: BareMetalHost): IndexChange {
    const change = super.updateFromBareMetalHost(bmh);
    const key = `${bmh.metadata.namespace ?? ''}/${bmh.metadata.name}`;
    // A duplicate MAC leaves the host's previous entry in place, so its address stays as it was.
    if (change.kind === 'indexed') this.answered.set(key, callbackCallerFromBareMetalHost(bmh, change.bootHost));
    else if (change.kind !== 'duplicate-mac') this.answered.delete(key);
    return change;
  }

  override removeBareMetalHost(bmh: BareMetalHost): void {
    super.removeBareMetalHost(bmh);
    this.answered.delete(`${bmh.metadata.namespace ?? ''}/${bmh.metadata.name}`);
  }
}
