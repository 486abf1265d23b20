import { describe, expect, it } from 'vitest';
import { BareMetalHost } from '../../../api/bareMetalHost.js';
import { PropertyKeys } from '../../../api/properties/keys.js';
import type { Lease } from '../../../ipam/lease.js';
import { NetworkDataError } from '../../../render/errors.js';
import { generateNetworkData } from '../../../render/generateNetworkData.js';
import { renderMachineData } from '../../../render/machineData.js';
import { effectiveOf, nodeClaim, renderInput, type UnparsedRenderInput } from './fixtures.js';

const ipv4: Lease = {
  address: '10.0.0.5',
  prefix: 24,
  gateway: '10.0.0.1',
  dnsServers: ['8.8.8.8', '8.8.4.4'],
  ntpServers: [],
};
const ipv6: Lease = {
  address: '2001:db8:0:1::10',
  prefix: 64,
  gateway: '2001:db8:0:1::1',
  dnsServers: ['2001:4860:4860::8888'],
  ntpServers: [],
};

function host(spec: Record<string, unknown>, status?: Record<string, unknown>): BareMetalHost {
  return BareMetalHost.parse({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name: 'server-01', namespace: 'metal3-system' },
    spec,
    ...(status && { status }),
  });
}

function networkData(properties: Record<string, string>, extra: Partial<UnparsedRenderInput> = {}) {
  return renderMachineData(
    renderInput({
      claim: nodeClaim('worker-4'),
      effective: effectiveOf(properties),
      sshKeys: [],
      bareMetalHost: host({ bootMACAddress: 'AA:BB:CC:DD:EE:01' }),
      templates: {},
      registrationCommands: [],
      ...extra,
    }),
  ).networkData;
}

describe('generateNetworkData', () => {
  it('writes an IPv4 and an IPv6 network, each with its default route, and DNS of both families', () => {
    const dualStack: Lease = {
      ...ipv4,
      dnsServers: ['8.8.8.8', '2001:4860:4860::8888'],
      ipv6: { address: 'fd00:0:0:7::10', prefix: 64, gateway: 'fd00:0:0:7::1' },
    };
    expect(JSON.parse(generateNetworkData(dualStack, 'AA:BB:CC:DD:EE:01'))).toEqual({
      links: [{ id: 'boot-nic', type: 'phy', ethernet_mac_address: 'aa:bb:cc:dd:ee:01' }],
      networks: [
        {
          id: 'boot-nic-ipv4',
          type: 'ipv4',
          link: 'boot-nic',
          ip_address: '10.0.0.5',
          netmask: '255.255.255.0',
          routes: [{ network: '0.0.0.0', netmask: '0.0.0.0', gateway: '10.0.0.1' }],
          network_id: '10.0.0.0/24',
        },
        {
          id: 'boot-nic-ipv6',
          type: 'ipv6',
          link: 'boot-nic',
          ip_address: 'fd00:0:0:7::10',
          netmask: 'ffff:ffff:ffff:ffff::',
          routes: [{ network: '::', netmask: '::', gateway: 'fd00:0:0:7::1' }],
          network_id: 'fd00:0:0:7::/64',
        },
      ],
      services: [
        { type: 'dns', address: '8.8.8.8' },
        { type: 'dns', address: '2001:4860:4860::8888' },
      ],
    });
  });

  it('writes OpenStack network_data.json for an IPv4 lease, keys in a fixed order', () => {
    expect(JSON.parse(generateNetworkData(ipv4, 'AA:BB:CC:DD:EE:01'))).toEqual({
      links: [{ id: 'boot-nic', type: 'phy', ethernet_mac_address: 'aa:bb:cc:dd:ee:01' }],
      networks: [
        {
          id: 'boot-nic-ipv4',
          type: 'ipv4',
          link: 'boot-nic',
          ip_address: '10.0.0.5',
          netmask: '255.255.255.0',
          routes: [{ network: '0.0.0.0', netmask: '0.0.0.0', gateway: '10.0.0.1' }],
          network_id: '10.0.0.0/24',
        },
      ],
      services: [
        { type: 'dns', address: '8.8.8.8' },
        { type: 'dns', address: '8.8.4.4' },
      ],
    });
    const text = generateNetworkData(ipv4, 'aa:bb:cc:dd:ee:01');
    expect(text.indexOf('"links"')).toBeLessThan(text.indexOf('"networks"'));
    expect(text.indexOf('"ip_address"')).toBeLessThan(text.indexOf('"netmask"'));
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2) + '\n');
  });

  it('writes an IPv6 network with its mask in address form and a default route to ::', () => {
    const [network] = (JSON.parse(generateNetworkData(ipv6, 'aa:bb:cc:dd:ee:02')) as { networks: unknown[] }).networks;
    expect(network).toEqual({
      id: 'boot-nic-ipv6',
      type: 'ipv6',
      link: 'boot-nic',
      ip_address: '2001:db8:0:1::10',
      netmask: 'ffff:ffff:ffff:ffff::',
      routes: [{ network: '::', netmask: '::', gateway: '2001:db8:0:1::1' }],
      network_id: '2001:db8:0:1::/64',
    });
  });

  it('handles prefixes that are not byte aligned', () => {
    const text = generateNetworkData({ ...ipv4, address: '192.168.100.70', prefix: 26 }, 'aa:bb:cc:dd:ee:01');
    expect(text).toContain('"netmask": "255.255.255.192"');
    expect(text).toContain('"network_id": "192.168.100.64/26"');
  });
});

describe('network data precedence', () => {
  const inline = '{"links": [], "networks": [], "services": [], "from": "inline"}';
  const template = 'from: template\naddress: {{ .AllocatedIP }}\n';
  const secret = 'from: secret\n';
  const all = {
    [PropertyKeys.networkData]: inline,
    [PropertyKeys.networkDataTemplate]: template,
    [PropertyKeys.networkDataTemplateSecret]: 'loft/net',
    [PropertyKeys.networkCidr]: '10.0.0.1/24',
  };
  const extra = { lease: ipv4, templates: { networkDataTemplateSecret: secret } };

  it('passes metal3.vcluster.com/network-data on as written, over everything else', () => {
    expect(networkData(all, extra)).toBe(inline);
  });

  it('renders vcluster.com/network-data-template next, with the Values object', () => {
    const { [PropertyKeys.networkData]: _, ...rest } = all;
    expect(networkData(rest, extra)).toBe('from: template\naddress: 10.0.0.5\n');
  });

  it('renders the template Secret next', () => {
    expect(
      networkData(
        { [PropertyKeys.networkDataTemplateSecret]: 'loft/net', [PropertyKeys.networkCidr]: '10.0.0.1/24' },
        extra,
      ),
    ).toBe(secret);
  });

  it('generates it from the lease last', () => {
    expect(networkData({ [PropertyKeys.networkCidr]: '10.0.0.1/24' }, extra)).toBe(
      generateNetworkData(ipv4, 'aa:bb:cc:dd:ee:01'),
    );
  });

  it('leaves the host to DHCP with no lease and no network-data property', () => {
    expect(networkData({})).toBeUndefined();
  });
});

describe('the boot NIC', () => {
  it('is the NIC inspection saw PXE boot when the host has no bootMACAddress', () => {
    const inspected = host(
      {},
      { hardware: { nics: [{ mac: '52:54:00:00:00:01' }, { mac: '52:54:00:00:00:02', pxe: true }] } },
    );
    expect(networkData({}, { lease: ipv4, bareMetalHost: inspected })).toContain('"52:54:00:00:00:02"');
  });

  it('can be given explicitly', () => {
    expect(networkData({}, { lease: ipv4, bootMacAddress: '52:54:00:00:00:09' })).toContain('"52:54:00:00:00:09"');
  });

  it('must be known to generate network data', () => {
    expect(() => networkData({}, { lease: ipv4, bareMetalHost: host({}) })).toThrow(
      new NetworkDataError(
        undefined,
        'generated network data is keyed by the boot NIC\'s MAC address, but BareMetalHost "server-01" has no spec.bootMACAddress; set it',
      ),
    );
  });
});
