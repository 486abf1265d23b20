import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { IP_ADDRESS_ANNOTATION, LEASE_ANNOTATIONS, leaseAnnotations, type Lease } from '../../ipam/lease.js';
import { classifyApiError } from '../../k8s/apiErrors.js';
import type { BareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { updateHost } from '../../k8s/updateHost.js';
import { withAnnotations } from '../hosts/hostChanges.js';
import { hostNotFound } from './failures.js';

/** The host, or the typed HostNotFound failure that names it. */
export async function readHost(hosts: BareMetalHostApi, hostName: string): Promise<BareMetalHost> {
  try {
    return await hosts.get(hostName);
  } catch (err) {
    if (classifyApiError(err).kind === 'notFound') throw hostNotFound(hostName, hosts.namespace);
    throw err;
  }
}

/**
 * Writes the lease as the annotations the DHCP server reads, starting from the version of the host
 * `seen` by the caller when there is one. Idempotent.
 */
export async function writeHostLease(
  hosts: BareMetalHostApi,
  hostName: string,
  lease: Lease,
  seen?: BareMetalHost,
): Promise<void> {
  try {
    await updateHost(hosts, hostName, (host) => withAnnotations(host, leaseAnnotations(lease)), { seen });
  } catch (err) {
    if (classifyApiError(err).kind === 'notFound') throw hostNotFound(hostName, hosts.namespace);
    throw err;
  }
}

/**
 * Removes the lease annotations, but only while they still carry this lease's address: a host that was
 * restored or leased again since keeps what it has now. A missing host has nothing to remove.
 */
export async function clearHostLease(hosts: BareMetalHostApi, hostName: string, ipAddress: string): Promise<void> {
  const removal = Object.fromEntries(LEASE_ANNOTATIONS.map((key) => [key, null]));
  try {
    await updateHost(hosts, hostName, (host) =>
      host.metadata.annotations?.[IP_ADDRESS_ANNOTATION] === ipAddress ? withAnnotations(host, removal) : undefined,
    );
  } catch (err) {
    if (classifyApiError(err).kind !== 'notFound') throw err;
  }
}
