import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../api/issues.js';
import { BMC_SCHEMES } from '../../../api/bmcAddress.js';
import { readHostLease } from '../../../api/bareMetalHostLease.js';
import { validateDocument } from '../../../api/validateDocument.js';

const IP = 'metal3.vcluster.com/ip-address';
const GATEWAY = 'metal3.vcluster.com/gateway';
const DNS = 'metal3.vcluster.com/dns-servers';
const NTP = 'metal3.vcluster.com/ntp-servers';

function host(spec: Record<string, unknown> = {}, annotations?: Record<string, string>) {
  return {
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name: 'server-01', namespace: 'metal3-system', ...(annotations && { annotations }) },
    spec: {
      bmc: { address: 'redfish://192.168.1.100', credentialsName: 'server-01-bmc' },
      bootMACAddress: 'aa:bb:cc:dd:ee:01',
      online: false,
      ...spec,
    },
  };
}

/** The problems `validate` reports for a host, as `path: message`. */
function problems(document: unknown): string[] {
  const result = validateDocument(document);
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe('BareMetalHost: the BMC address selects a driver of the Bare Metal Operator', () => {
  it.each([
    'redfish://192.168.1.100',
    'redfish+http://bmc.sim.invalid/redfish/v1/Systems/server-01',
    'redfish-virtualmedia+https://10.0.0.9/redfish/v1/Systems/1',
    'idrac-virtualmedia://[fd00::9]/redfish/v1/Systems/System.Embedded.1',
    'ipmi://192.168.1.100:623',
    'ilo5://ilo.example.com',
    // No scheme: BMO reads it as IPMI.
    '192.168.1.100',
  ])('accepts %s', (address) => {
    expect(problems(host({ bmc: { address, credentialsName: 'c' } }))).toEqual([]);
  });

  it.each([
    [
      'redfsh://192.168.1.100',
      'spec.bmc.address: "redfsh://192.168.1.100" has the scheme "redfsh", which selects no BMC driver of the Bare Metal Operator; did you mean "redfish"?',
    ],
    [
      'https://192.168.1.100/redfish/v1',
      'spec.bmc.address: "https://192.168.1.100/redfish/v1" has the scheme "https", which selects no BMC driver of the Bare Metal Operator; use one of ipmi, libvirt, redfish, redfish-virtualmedia, redfish-uefihttp, idrac-redfish, idrac-virtualmedia, ilo5-redfish, ilo5-virtualmedia, ilo4, ilo4-virtualmedia, ilo5, irmc, ibmc',
    ],
    [
      'ilo4+http://ilo.example.com',
      'spec.bmc.address: "ilo4+http://ilo.example.com" has the scheme "ilo4+http", which selects no BMC driver of the Bare Metal Operator; did you mean "ilo4+https"?',
    ],
    [
      'redfish://bmc_01.example.com',
      'spec.bmc.address: "redfish://bmc_01.example.com" has the host "bmc_01.example.com", which is neither an IP address nor a DNS name',
    ],
    ['redfish://', 'spec.bmc.address: "redfish://" names no host; write e.g. redfish://192.168.1.100'],
  ])('refuses %s', (address, message) => {
    expect(problems(host({ bmc: { address, credentialsName: 'c' } }))).toEqual([message]);
  });

  it('knows the transports BMO registers for each driver', () => {
    expect(BMC_SCHEMES).toContain('redfish+https');
    expect(BMC_SCHEMES).toContain('ilo4-virtualmedia+https');
    expect(BMC_SCHEMES).not.toContain('ipmi+https');
  });
});

describe('BareMetalHost: the boot MAC is a whole MAC address', () => {
  it('refuses text around a MAC that BMO’s unanchored pattern lets through', () => {
    expect(problems(host({ bootMACAddress: 'aa:bb:cc:dd:ee:01:ff' }))).toEqual([
      'spec.bootMACAddress: "aa:bb:cc:dd:ee:01:ff" holds more than a MAC address; write only the six pairs of hex digits separated by ":", e.g. "aa:bb:cc:dd:ee:01"',
    ]);
    expect(problems(host({ bootMACAddress: 'AA:BB:CC:DD:EE:01' }))).toEqual([]);
  });
});

describe('BareMetalHost: the DHCP annotations, by the rules the DHCP server answers with', () => {
  const lease = { [IP]: '10.0.0.20/24', [GATEWAY]: '10.0.0.1', [DNS]: '10.0.0.53, 10.0.0.54', [NTP]: '10.0.0.123' };

  it('accepts the annotations the provider writes, and a host without any', () => {
    expect(problems(host({}, lease))).toEqual([]);
    expect(problems(host({}, { [IP]: '10.0.0.20/24' }))).toEqual([]);
    expect(problems(host())).toEqual([]);
    expect(readHostLease(lease)).toEqual({
      kind: 'lease',
      lease: {
        address: '10.0.0.20',
        prefix: 24,
        subnetMask: '255.255.255.0',
        broadcastAddress: '10.0.0.255',
        gateway: '10.0.0.1',
        dnsServers: ['10.0.0.53', '10.0.0.54'],
        ntpServers: ['10.0.0.123'],
      },
    });
  });

  it.each<[Record<string, string>, string[]]>([
    [
      { [IP]: '10.0.0.20' },
      [`metadata.annotations["${IP}"]: "10.0.0.20" is not an IPv4 address with prefix; write e.g. 10.0.0.20/24`],
    ],
    [
      { [IP]: 'fd00::20/64' },
      [`metadata.annotations["${IP}"]: "fd00::20/64" is not an IPv4 address with prefix; write e.g. 10.0.0.20/24`],
    ],
    [{ [IP]: '10.0.0.20/31' }, [`metadata.annotations["${IP}"]: "10.0.0.20/31" needs a prefix length from 1 to 30`]],
    [
      { [IP]: '10.0.0.0/24' },
      [`metadata.annotations["${IP}"]: "10.0.0.0/24" is the network address of its subnet, not a host address`],
    ],
    [
      { [IP]: '10.0.0.1/24' },
      [
        `metadata.annotations["${GATEWAY}"]: is not set, and its default (the first host address of 10.0.0.1/24) is the host's own address; set it`,
      ],
    ],
    [
      { [IP]: '10.0.0.20/24', [GATEWAY]: '10.0.1.1' },
      [`metadata.annotations["${GATEWAY}"]: "10.0.1.1" is not a host address of the subnet of ${IP} "10.0.0.20/24"`],
    ],
    [
      { [IP]: '10.0.0.20/24', [GATEWAY]: '10.0.0.20' },
      [`metadata.annotations["${GATEWAY}"]: "10.0.0.20" is the host's own address`],
    ],
    [
      { [IP]: '10.0.0.20/24', [GATEWAY]: '10.0.0.1/24' },
      [`metadata.annotations["${GATEWAY}"]: "10.0.0.1/24" is not an IPv4 address`],
    ],
    [
      { [IP]: '10.0.0.20/24', [DNS]: '8.8.8.8;8.8.4.4', [NTP]: '10.0.0.5,,10.0.0.6' },
      [
        `metadata.annotations["${DNS}"]: "8.8.8.8;8.8.4.4" is not an IPv4 address; write comma-separated IPv4 addresses, e.g. 10.0.0.53,10.0.0.54`,
        `metadata.annotations["${NTP}"]: item 2 of "10.0.0.5,,10.0.0.6" is empty`,
      ],
    ],
    [
      // Without an address the server lists are still checked: a host may get them first.
      { [DNS]: 'dns.google' },
      [
        `metadata.annotations["${DNS}"]: "dns.google" is not an IPv4 address; write comma-separated IPv4 addresses, e.g. 10.0.0.53,10.0.0.54`,
      ],
    ],
  ])('refuses %j, at the annotation', (annotations, expected) => {
    expect(problems(host({}, annotations))).toEqual(expected);
  });
});
