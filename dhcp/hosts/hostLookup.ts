import type { BootHost, UnusableHost } from './bootHost.js';
import type { CallbackCaller } from './callbackCaller.js';

/** What the DHCP and HTTP servers ask about a client: two questions, both by MAC. */
export interface HostLookup {
  /** The answerable host with this boot MAC (any case, `:` or `-`), if there is one. */
  byMac(mac: string): BootHost | undefined;
  /** A known host with this boot MAC that cannot be answered, and why (for a warning naming it). */
  unusableByMac(mac: string): UnusableHost | undefined;
}

/** What the callback proxy asks: which known host was leased this address. */
export interface LeaseAddressLookup {
  /** The answerable host whose lease (`metal3.vcluster.com/ip-address`) is this IPv4 address. */
  byAddress(address: string): BootHost | undefined;
  /** The same host with what it may name at Ironic: its MACs and its Ironic node. */
  callerByAddress(address: string): CallbackCaller | undefined;
}

export function hasAddressLookup<T extends object>(lookup: T): lookup is T & LeaseAddressLookup {
  const candidate = lookup as Partial<LeaseAddressLookup>;
  return typeof candidate.byAddress === 'function' && typeof candidate.callerByAddress === 'function';
}
