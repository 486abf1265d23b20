import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { bootHostFromBareMetalHost, type BootHost, type UnusableHost } from './bootHost.js';
import type { HostLookup } from './hostLookup.js';
import { normalizeMac } from '../dhcpv4/dhcpPacket.js';

/** What an update did, so the caller can log a warning that names the host. */
export type IndexChange =
  | { kind: 'indexed'; bootHost: BootHost }
  | { kind: 'unusable'; unusable: UnusableHost }
  | { kind: 'duplicate-mac'; host: string; mac: string; owner: string }
  | { kind: 'not-indexed'; host: string };

type Entry = { kind: 'boot'; bootHost: BootHost } | { kind: 'unusable'; unusable: UnusableHost };

function keyOf(bmh: BareMetalHost): string {
  return `${bmh.metadata.namespace ?? ''}/${bmh.metadata.name}`;
}

/**
 * BootHost records keyed by boot MAC, fed by BareMetalHost watch events. Updates replace the whole
 * entry of a host, so a changed MAC, annotation or state takes effect on the next packet.
 */
export class HostIndex implements HostLookup {
  private readonly byMacEntries = new Map<string, Entry>();
  /** host key → the MAC it is indexed under, to drop the old entry when the MAC changes. */
  private readonly macOfHost = new Map<string, string>();

  byMac(mac: string): BootHost | undefined {
    const entry = this.entryFor(mac);
    return entry?.kind === 'boot' ? entry.bootHost : undefined;
  }

  unusableByMac(mac: string): UnusableHost | undefined {
    const entry = this.entryFor(mac);
    return entry?.kind === 'unusable' ? entry.unusable : undefined;
  }

  get size(): number {
    return this.byMacEntries.size;
  }

  /** Adds or replaces the host (an informer add/update, or a resync). */
  updateFromBareMetalHost(bmh: BareMetalHost): IndexChange {
    const key = keyOf(bmh);
    const result = bootHostFromBareMetalHost(bmh);
    if (result.kind === 'no-boot-mac' || bmh.metadata.deletionTimestamp !== undefined) {
      this.removeKey(key);
      return { kind: 'not-indexed', host: key };
    }
    const entry: Entry = result;
    const mac = result.kind === 'boot' ? result.bootHost.mac : result.unusable.mac;
    const owner = this.ownerOf(mac);
    if (owner !== undefined && owner !== key) {
      // Two hosts claiming one MAC: keep answering the first rather than flip-flopping.
      return { kind: 'duplicate-mac', host: key, mac, owner };
    }
    this.removeKey(key);
    this.byMacEntries.set(mac, entry);
    this.macOfHost.set(key, mac);
    return entry.kind === 'boot'
      ? { kind: 'indexed', bootHost: entry.bootHost }
      : { kind: 'unusable', unusable: entry.unusable };
  }

  /** Forgets the host (an informer delete). */
  removeBareMetalHost(bmh: BareMetalHost): void {
    this.removeKey(keyOf(bmh));
  }

  private entryFor(mac: string): Entry | undefined {
    const direct = this.byMacEntries.get(mac);
    if (direct) return direct;
    const normalized = normalizeMac(mac);
    return normalized === undefined ? undefined : this.byMacEntries.get(normalized);
  }

  private ownerOf(mac: string): string | undefined {
    const entry = this.byMacEntries.get(mac);
    return entry === undefined ? undefined : entry.kind === 'boot' ? entry.bootHost.host : entry.unusable.host;
  }

  private removeKey(key: string): void {
    const mac = this.macOfHost.get(key);
    if (mac === undefined) return;
    this.macOfHost.delete(key);
    if (this.ownerOf(mac) === key) this.byMacEntries.delete(mac);
  }
}
