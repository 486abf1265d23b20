import type { BareMetalHost } from '../api/bareMetalHost.js';

/**
 * Where BMO takes a host once it is being deleted: hosts not yet registered go straight to deleting,
 * hosts holding an image are deprovisioned first, the others are powered off first; a detached host
 * cannot be powered off and skips to deleting. Undefined when the host is on its way already.
 */
export function deletionStart(host: BareMetalHost, state: string): string | undefined {
  const detached = host.status?.operationalStatus === 'detached';
  switch (state) {
    case '':
    case 'unmanaged':
    case 'registering':
      return 'deleting';
    case 'provisioning':
    case 'provisioned':
      return detached ? 'deleting' : 'deprovisioning';
    case 'externally provisioned':
      return detached ? 'deleting' : 'powering off before delete';
    case 'deprovisioning':
    case 'powering off before delete':
    case 'deleting':
      return undefined;
    default:
      return 'powering off before delete';
  }
}
