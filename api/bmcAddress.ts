import { didYouMean } from './suggest.js';

/**
 * The BMC drivers of the Bare Metal Operator, by the URL scheme of `spec.bmc.address` that selects
 * each (BMO v0.12.0): the driver name alone, or with `+http`/`+https` where BMO registers those.
 */
const DRIVERS: Readonly<Record<string, readonly string[]>> = {
  ipmi: [],
  libvirt: [],
  redfish: ['http', 'https'],
  'redfish-virtualmedia': ['http', 'https'],
  'redfish-uefihttp': ['http', 'https'],
  'idrac-redfish': ['http', 'https'],
  'idrac-virtualmedia': ['http', 'https'],
  'ilo5-redfish': ['http', 'https'],
  'ilo5-virtualmedia': ['http', 'https'],
  ilo4: ['https'],
  'ilo4-virtualmedia': ['https'],
  ilo5: ['https'],
  irmc: [],
  ibmc: ['http', 'https'],
};

export const BMC_SCHEMES: readonly string[] = Object.entries(DRIVERS).flatMap(([driver, transports]) => [
  driver,
  ...transports.map((transport) => `${driver}+${transport}`),
]);

/** BMO's rule for the host part: an IP address or a DNS name. */
const HOST_NAME =
  /^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9])\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9])$/;

/**
 * Why BMO would not find a driver for `address`; undefined when it would. An address without a
 * scheme (`192.168.1.100`, `bmc.example.com:623`) is IPMI, as BMO reads it.
 */
export function bmcAddressProblem(address: string): string | undefined {
  const quoted = JSON.stringify(address);
  if (address.trim() === '') return 'must not be empty; write the BMC URL, e.g. redfish://192.168.1.100';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(address)?.[1];
  if (scheme === undefined) return undefined;
  if (!BMC_SCHEMES.includes(scheme)) {
    const suggestion = didYouMean(scheme, BMC_SCHEMES) || `; use one of ${Object.keys(DRIVERS).join(', ')}`;
    return `${quoted} has the scheme "${scheme}", which selects no BMC driver of the Bare Metal Operator${suggestion}`;
  }
  let host: string;
  try {
    host = new URL(address).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return `${quoted} is not a URL; write e.g. ${scheme}://192.168.1.100`;
  }
  if (host === '') return `${quoted} names no host; write e.g. ${scheme}://192.168.1.100`;
  if (!host.includes(':') && !HOST_NAME.test(host)) {
    return `${quoted} has the host "${host}", which is neither an IP address nor a DNS name`;
  }
  return undefined;
}
