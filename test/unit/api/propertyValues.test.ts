import { describe, expect, it } from 'vitest';
import { PROPERTY_CATALOGUE, propertyKeys } from '../../../api/properties/catalogue.js';
import { PropertyKeys } from '../../../api/properties/keys.js';
import {
  PropertyValueError,
  parseGoDuration,
  parseIpList,
  parseIpRanges,
  parseNetworkCidr,
  parseSecretReference,
} from '../../../api/properties/values.js';
import { sshPublicKeyProblem } from '../../../api/sshPublicKey.js';

describe('the property catalogue', () => {
  it('lists every key of the spec and our own keys exactly once', () => {
    const keys = propertyKeys();
    expect(new Set(keys).size).toBe(PROPERTY_CATALOGUE.length);
    expect(keys.sort()).toEqual(Object.values(PropertyKeys).sort());
  });

  it('gives the retry budget and the deadline their defaults', () => {
    const defaults = Object.fromEntries(PROPERTY_CATALOGUE.flatMap((p) => (p.default ? [[p.key, p.default]] : [])));
    expect(defaults).toEqual({
      'metal3-provider.io/provision-attempts': '2',
      'metal3-provider.io/provision-timeout': '60m',
    });
  });
});

describe('network values', () => {
  it('reads the gateway and subnet from a CIDR whose host part is the gateway', () => {
    expect(parseNetworkCidr('10.0.0.1/24')).toEqual([
      { family: 4, gateway: '10.0.0.1', prefixLength: 24, network: '10.0.0.0', last: '10.0.0.255' },
    ]);
    expect(parseNetworkCidr('192.168.100.254/23')[0]?.network).toBe('192.168.100.0');
  });

  it('reads an IPv6 network, and an IPv4,IPv6 pair for a dual-stack node type', () => {
    expect(parseNetworkCidr('fd00::1/64')).toEqual([
      { family: 6, gateway: 'fd00::1', prefixLength: 64, network: 'fd00::', last: 'fd00::ffff:ffff:ffff:ffff' },
    ]);
    expect(parseNetworkCidr('10.0.0.1/24, 2001:db8:0:7::1/64').map((n) => [n.family, n.gateway])).toEqual([
      [4, '10.0.0.1'],
      [6, '2001:db8:0:7::1'],
    ]);
  });

  it.each([
    ['10.0.0.0/24', 'names the network address'],
    ['10.0.0.255/24', 'names the broadcast address'],
    ['10.0.0.1', 'is not in CIDR notation'],
    ['10.0.0.1/33', 'is not in CIDR notation'],
    ['10.0.0.1/31', 'leaves no room for hosts'],
    ['10.0.0/24', 'is not an IPv4 address'],
    ['fd00::/64', 'names the network address of fd00::/64 as the gateway'],
    ['fd00::1/129', 'IPv6 prefixes are 0 to 128'],
    ['fd00::1/128', 'leaves no address to allocate'],
    ['fd00::zz/64', 'is not a CIDR'],
    ['10.0.0.1/24,10.1.0.1/24', 'names two IPv4 networks'],
    ['fd00::1/64,fd01::1/64', 'names two IPv6 networks'],
    ['10.0.0.1/24,fd00::1/64,10.1.0.1/24', 'names 3 networks'],
  ])('rejects the CIDR %s', (text, message) => {
    expect(() => parseNetworkCidr(text)).toThrow(PropertyValueError);
    expect(() => parseNetworkCidr(text)).toThrow(message);
  });

  it('reads IP ranges in the order written and rejects overlaps', () => {
    expect(parseIpRanges('10.0.0.40-10.0.0.50, 10.0.0.20-10.0.0.30')).toEqual([
      { start: '10.0.0.40', end: '10.0.0.50' },
      { start: '10.0.0.20', end: '10.0.0.30' },
    ]);
    expect(parseIpRanges('10.0.0.5-10.0.0.5')).toEqual([{ start: '10.0.0.5', end: '10.0.0.5' }]);
    expect(() => parseIpRanges('10.0.0.20-10.0.0.30,10.0.0.30-10.0.0.40')).toThrow('overlap');
  });

  it('reads IPv6 ranges beside IPv4 ones, and checks overlaps within each family', () => {
    expect(parseIpRanges('10.0.0.20-10.0.0.30,fd00::0:20-fd00::30')).toEqual([
      { start: '10.0.0.20', end: '10.0.0.30' },
      { start: 'fd00::20', end: 'fd00::30' },
    ]);
    // ::1 is numerically 0.0.0.1: families never overlap each other.
    expect(parseIpRanges('0.0.0.1-0.0.0.9,::1-::2')).toHaveLength(2);
    expect(() => parseIpRanges('fd00::20-fd00::30,fd00::30-fd00::40')).toThrow('overlap');
    expect(() => parseIpRanges('fd00::30-fd00::20')).toThrow('ends before it starts');
    expect(() => parseIpRanges('10.0.0.1-fd00::1')).toThrow('mixes an IPv4 and an IPv6 address');
    expect(() => parseIpRanges('fd00::1-fd00::zz')).toThrow('"fd00::zz" is not an IP address');
  });

  it('accepts IPv4 and IPv6 DNS/NTP servers', () => {
    expect(parseIpList('8.8.8.8, 2001:4860:4860::8888')).toEqual(['8.8.8.8', '2001:4860:4860::8888']);
    expect(() => parseIpList('8.8.8.8,')).toThrow('item 2 of "8.8.8.8," is empty');
  });
});

describe('other typed values', () => {
  it.each<[string, number]>([
    ['60m', 3_600_000],
    ['1h30m', 5_400_000],
    ['90s', 90_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
  ])('reads the duration %s', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(['60', '1 hour', '0s', '-5m', 'm'])('rejects the duration %j', (text) => {
    expect(() => parseGoDuration(text)).toThrow(PropertyValueError);
  });

  it('reads Secret references with and without a namespace', () => {
    expect(parseSecretReference('my-template', false)).toEqual({ name: 'my-template' });
    expect(parseSecretReference('loft/my-template', true)).toEqual({ namespace: 'loft', name: 'my-template' });
    expect(() => parseSecretReference('a/b/c', false)).toThrow('is not a Secret reference');
  });

  it.each([
    [PropertyKeys.sshKeys, 'alice,team-b/bob', 'SSHKey name'],
    [PropertyKeys.osImage, 'team-b/ubuntu', 'OSImage name'],
    [PropertyKeys.networkEnvironment, 'team-b/rack-1', 'NodeEnvironment name'],
    [PropertyKeys.serverName, 'metal3/server-01', 'BareMetalHost name'],
  ])("refuses a namespace in %s, whose objects are not the tenant's to place", (key, value, what) => {
    const entry = PROPERTY_CATALOGUE.find((spec) => spec.key === key);
    expect(() => entry?.check(value, key)).toThrow(`names a namespace; a ${what} takes none`);
  });

  it('accepts OpenSSH public keys and explains what is wrong with others', () => {
    const ed25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@example';
    expect(sshPublicKeyProblem(ed25519)).toBeUndefined();
    expect(sshPublicKeyProblem(`${ed25519}\n`)).toBeUndefined();
    expect(sshPublicKeyProblem(ed25519.replace('ssh-ed25519', 'ssh-rsa'))).toBe(
      'the key data does not hold a ssh-rsa key; copy the whole line of the .pub file',
    );
    expect(sshPublicKeyProblem('ssh-ed25519 not/base64!')).toBe('the key data after ssh-ed25519 is not base64');
  });
});

describe('a template property that does not parse', () => {
  it('is refused by line and reason, without the template text Go quotes', () => {
    const entry = PROPERTY_CATALOGUE.find((spec) => spec.key === PropertyKeys.userDataTemplate);
    const check = (text: string) => () => entry?.check(text, PropertyKeys.userDataTemplate);
    expect(check('#cloud-config\n{{ MARKER_FN_1 }}')).toThrow(
      'template: vcluster.com/user-data-template:2: function not defined',
    );
    expect(check('#cloud-config\n{{ MARKER_FN_1 }}')).not.toThrow('MARKER');
    expect(check('a\nb\n{{ "MARKER_2 }}')).toThrow(
      'template: vcluster.com/user-data-template:3: unterminated quoted string',
    );
    expect(check('{{ if .X }}{{ $MARKER_3 }}{{ end }}')).toThrow(
      /^template: vcluster\.com\/user-data-template:1: undefined variable$/,
    );
  });
});
