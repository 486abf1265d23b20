import { CAPACITY_KEY_PREFIX } from '../activities/hosts/resourceFit.js';
import { ORIGINAL_ANNOTATION } from '../activities/hosts/originalRecord.js';
import { BMH_DETACHED_ANNOTATION, BMH_PAUSED_ANNOTATION } from '../api/bareMetalHost.js';
import {
  DNS_SERVERS_ANNOTATION,
  GATEWAY_ANNOTATION,
  IP_ADDRESS_ANNOTATION,
  NTP_SERVERS_ANNOTATION,
} from '../ipam/lease.js';
import { SIM_ANNOTATION_PREFIX } from '../sim/settings.js';

export interface HostAnnotation {
  readonly key: string;
  readonly readBy: string;
  readonly meaning: string;
}

/**
 * The BareMetalHost annotations the code reads, for docs/reference.md. The keys come from the
 * constants the code uses; the meanings describe what that code does with them.
 */
export const HOST_ANNOTATIONS: readonly HostAnnotation[] = [
  {
    key: IP_ADDRESS_ANNOTATION,
    readBy: 'boot server, IPAM',
    meaning:
      'IPv4 address with prefix (CIDR) to lease; required for the host to get a DHCP answer; written by the provider when it allocates from a network property (for a dual-stack node type, its IPv4 address: the IPv6 one is in the network data); the provider never hands out an address a host already carries here',
  },
  {
    key: GATEWAY_ANNOTATION,
    readBy: 'boot server',
    meaning: 'default gateway; when unset, the first host address of the ip-address network',
  },
  {
    key: DNS_SERVERS_ANNOTATION,
    readBy: 'boot server',
    meaning:
      'comma-separated IPv4 DNS servers for the DHCP answer; the provider writes those of metal3.vcluster.com/dns-servers in the family of the lease',
  },
  {
    key: NTP_SERVERS_ANNOTATION,
    readBy: 'boot server',
    meaning:
      'comma-separated IPv4 NTP servers for the DHCP answer; the provider writes those of metal3-provider.io/ntp-servers in the family of the lease',
  },
  {
    key: BMH_PAUSED_ANNOTATION,
    readBy: 'provider',
    meaning: 'while present (any value) the host is not claimed',
  },
  {
    key: BMH_DETACHED_ANNOTATION,
    readBy: 'provider',
    meaning: 'while present (any value) the host is not claimed',
  },
  {
    key: `${CAPACITY_KEY_PREFIX}<resource>`,
    readBy: 'provider',
    meaning:
      'whole number of an extended resource the host offers (inspection reports none), "/" in the resource name written as "_", e.g. nvidia.com_gpu; also read as a label, the annotation wins',
  },
  {
    key: ORIGINAL_ANNOTATION,
    readBy: 'provider',
    meaning:
      'what the host looked like before it was claimed, restored on release; written by the provider, do not edit',
  },
  {
    key: `${SIM_ANNOTATION_PREFIX}*`,
    readBy: '`sim` only',
    meaning: 'per-host delays, inventory and faults of the simulator',
  },
];
