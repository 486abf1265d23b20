import type { BareMetalHost } from './bareMetalHost.js';
import { readHostLease } from './bareMetalHostLease.js';
import { bmcAddressProblem } from './bmcAddress.js';
import type { ConfigIssue } from './issues.js';

/** A whole MAC address: BMO's pattern, anchored (BMO's own finds a MAC anywhere in the text). */
const WHOLE_MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

/**
 * What BMO's schema lets through but the host could not be used with: a BMC address no driver
 * takes, a boot MAC with more than a MAC in it, and DHCP annotations the DHCP server would refuse.
 */
export function bareMetalHostProblems(host: BareMetalHost): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const address = host.spec.bmc?.address;
  const bmcProblem = address === undefined ? undefined : bmcAddressProblem(address);
  if (bmcProblem !== undefined) issues.push({ path: ['spec', 'bmc', 'address'], message: bmcProblem });
  const mac = host.spec.bootMACAddress;
  if (mac !== undefined && !WHOLE_MAC.test(mac)) {
    issues.push({
      path: ['spec', 'bootMACAddress'],
      message: `${JSON.stringify(mac)} holds more than a MAC address; write only the six pairs of hex digits separated by ":", e.g. "aa:bb:cc:dd:ee:01"`,
    });
  }
  const lease = readHostLease(host.metadata.annotations);
  if (lease.kind === 'invalid') {
    for (const { annotation, message } of lease.problems) {
      issues.push({ path: ['metadata', 'annotations', annotation], message });
    }
  }
  return issues;
}
