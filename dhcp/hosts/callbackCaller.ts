import type { BareMetalHost } from '../../api/bareMetalHost.js';
import type { BootHost } from './bootHost.js';
import { normalizeMac } from '../dhcpv4/dhcpPacket.js';

/**
 * Who a callback proxy client is: the BareMetalHost whose lease is the request's source address,
 * with what the proxy may let it name at Ironic — its own MACs and its own Ironic node.
 */
export interface CallbackCaller {
  /** The host's lease (its `host`, boot MAC and address). */
  host: BootHost;
  /** The boot MAC and every NIC MAC inspection recorded, lower case with colons. */
  macs: readonly string[];
  /**
   * Whether `macs` holds inspection's NIC list: IPA's lookup lists the MACs of the interfaces it
   * sees, the same list inspection reports, so with it any other MAC is someone else's.
   */
  nicsKnown: boolean;
  /** The Ironic node BMO registered for the host (`status.provisioning.ID`), lower case, if any. */
  nodeUuid: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The caller record of an indexed host, from its BareMetalHost. */
export function callbackCallerFromBareMetalHost(bmh: BareMetalHost, host: BootHost): CallbackCaller {
  const nics = (bmh.status?.hardware?.nics ?? [])
    .map((nic) => (nic.mac === undefined ? undefined : normalizeMac(nic.mac)))
    .filter((mac): mac is string => mac !== undefined);
  const id = bmh.status?.provisioning?.ID ?? '';
  return {
    host,
    macs: [...new Set([host.mac, ...nics])],
    nicsKnown: nics.length > 0,
    nodeUuid: UUID.test(id) ? id.toLowerCase() : undefined,
  };
}
