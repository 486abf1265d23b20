import { describe, expect, it } from 'vitest';
import { BareMetalHost } from '../../../../api/bareMetalHost.js';
import { decodeDhcpPacket, ipv4At } from '../../../../dhcp/dhcpv4/decodeDhcpPacket.js';
import { MessageType, Option, type DhcpPacket } from '../../../../dhcp/dhcpv4/dhcpPacket.js';
import { encodeDhcpPacket, optionValue } from '../../../../dhcp/dhcpv4/encodeDhcpPacket.js';
import { handleDhcpPacket, type DhcpOutcome, type DhcpSettings } from '../../../../dhcp/dhcpv4/handleDhcpPacket.js';
import { HostIndex } from '../../../../dhcp/hosts/hostIndex.js';
import { clientPacket, pxeBiosOptions, type ClientPacketFields } from '../../../support/dhcpClientPackets.js';

const settings: DhcpSettings = {
  serverIp: '10.213.0.1',
  serverPort: 67,
  clientPort: 68,
  leaseSeconds: 3600,
  tftpEnabled: true,
  httpBaseUrl: 'http://10.213.0.1:8080',
  bootFiles: new Set(['undionly.kpxe', 'ipxe.efi', 'snponly.efi']),
};

function bmh(name: string, mac: string, annotations: Record<string, string>, state = 'available') {
  return BareMetalHost.parse({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name, namespace: 'metal3-system', annotations },
    spec: { bootMACAddress: mac },
    status: { provisioning: { state } },
  });
}

function indexWith(...hosts: ReturnType<typeof bmh>[]): HostIndex {
  const index = new HostIndex();
  for (const host of hosts) index.updateFromBareMetalHost(host);
  return index;
}

const server01 = bmh('server-01', 'AA:BB:CC:DD:EE:01', {
  'metal3.vcluster.com/ip-address': '10.213.0.20/24',
  'metal3.vcluster.com/dns-servers': '10.213.0.53, 10.213.0.54',
  'metal3.vcluster.com/ntp-servers': '10.213.0.123',
});

function decode(buf: Buffer): DhcpPacket {
  const result = decodeDhcpPacket(buf);
  if (!result.ok) throw result.error;
  return result.packet;
}

function handle(
  fields: ClientPacketFields,
  index = indexWith(server01),
  overrides: Partial<DhcpSettings> = {},
): DhcpOutcome {
  return handleDhcpPacket(decode(clientPacket(fields)), index, { ...settings, ...overrides });
}

/** The reply as the client receives it: encoded, then decoded again. */
function replyOf(outcome: DhcpOutcome): DhcpPacket {
  if (outcome.kind !== 'reply') throw new Error(`expected a reply, got ${outcome.reason}`);
  return decode(encodeDhcpPacket(outcome.packet, outcome.maxLength));
}

const opt = (packet: DhcpPacket, code: number) => packet.options.get(code);
const text = (packet: DhcpPacket, code: number) => opt(packet, code)?.toString('latin1');

describe('handleDhcpPacket leases', () => {
  it('offers the annotated address with mask, default gateway, DNS, NTP and lease times', () => {
    const offer = replyOf(handle({ type: MessageType.Discover, mac: 'aa:bb:cc:dd:ee:01' }));
    expect(opt(offer, Option.MessageType)?.[0]).toBe(MessageType.Offer);
    expect(offer.yiaddr).toBe('10.213.0.20');
    expect(offer.xid).toBe(0x1234abcd);
    expect(ipv4At(opt(offer, Option.ServerIdentifier) ?? Buffer.alloc(4), 0)).toBe('10.213.0.1');
    expect(opt(offer, Option.SubnetMask)).toEqual(optionValue.ipv4('255.255.255.0'));
    expect(opt(offer, Option.Router)).toEqual(optionValue.ipv4('10.213.0.1'));
    expect(opt(offer, Option.DomainNameServer)).toEqual(optionValue.ipv4('10.213.0.53', '10.213.0.54'));
    expect(opt(offer, Option.NtpServers)).toEqual(optionValue.ipv4('10.213.0.123'));
    expect(opt(offer, Option.LeaseTime)?.readUInt32BE(0)).toBe(3600);
    expect(opt(offer, Option.RenewalTime)?.readUInt32BE(0)).toBe(1800);
    expect(opt(offer, Option.RebindingTime)?.readUInt32BE(0)).toBe(3150);
    expect(text(offer, Option.HostName)).toBe('server-01');
  });

  it('uses the gateway annotation when set', () => {
    const host = bmh('server-02', 'aa:bb:cc:dd:ee:02', {
      'metal3.vcluster.com/ip-address': '10.213.0.21/24',
      'metal3.vcluster.com/gateway': '10.213.0.254',
    });
    const offer = replyOf(handle({ type: MessageType.Discover, mac: 'aa:bb:cc:dd:ee:02' }, indexWith(host)));
    expect(opt(offer, Option.Router)).toEqual(optionValue.ipv4('10.213.0.254'));
  });

  it('stays silent for an unknown MAC', () => {
    expect(handle({ type: MessageType.Discover, mac: 'aa:bb:cc:dd:ee:99' })).toMatchObject({
      kind: 'ignored',
      reason: 'unknown-mac',
    });
  });

  it('does not answer a host without the ip-address annotation and names it', () => {
    const outcome = handle(
      { type: MessageType.Discover, mac: 'aa:bb:cc:dd:ee:03' },
      indexWith(bmh('server-03', 'aa:bb:cc:dd:ee:03', {})),
    );
    expect(outcome).toMatchObject({ kind: 'ignored', reason: 'unusable-host', host: 'metal3-system/server-03' });
    if (outcome.kind === 'ignored') expect(outcome.detail).toContain('metal3.vcluster.com/ip-address');
  });

  it('ACKs a REQUEST for its offer and NAKs one for another address', () => {
    const serverId: [number, Buffer] = [Option.ServerIdentifier, optionValue.ipv4('10.213.0.1')];
    const ack = replyOf(
      handle({
        type: MessageType.Request,
        options: [serverId, [Option.RequestedIpAddress, optionValue.ipv4('10.213.0.20')]],
      }),
    );
    expect(opt(ack, Option.MessageType)?.[0]).toBe(MessageType.Ack);
    expect(ack.yiaddr).toBe('10.213.0.20');
    const nakOutcome = handle({
      type: MessageType.Request,
      options: [serverId, [Option.RequestedIpAddress, optionValue.ipv4('10.213.0.99')]],
    });
    const nak = replyOf(nakOutcome);
    expect(opt(nak, Option.MessageType)?.[0]).toBe(MessageType.Nak);
    expect(nak.yiaddr).toBe('0.0.0.0');
    expect(opt(nak, Option.LeaseTime)).toBeUndefined();
    expect(nakOutcome.kind === 'reply' && nakOutcome.destination.address).toBe('255.255.255.255');
  });

  it('ignores a REQUEST that selected another server', () => {
    const outcome = handle({
      type: MessageType.Request,
      options: [
        [Option.ServerIdentifier, optionValue.ipv4('10.213.0.9')],
        [Option.RequestedIpAddress, optionValue.ipv4('10.213.0.20')],
      ],
    });
    expect(outcome).toMatchObject({ kind: 'ignored', reason: 'other-server' });
  });

  it('ACKs a renewal by unicast to ciaddr and NAKs a renewal of a foreign address', () => {
    const renew = handle({ type: MessageType.Request, ciaddr: '10.213.0.20' });
    expect(renew).toMatchObject({
      kind: 'reply',
      messageType: MessageType.Ack,
      destination: { address: '10.213.0.20', port: 68, via: 'ciaddr' },
    });
    expect(replyOf(renew).ciaddr).toBe('10.213.0.20');
    expect(handle({ type: MessageType.Request, ciaddr: '10.213.0.77' })).toMatchObject({
      messageType: MessageType.Nak,
    });
  });

  it('NAKs an INIT-REBOOT request for an address that is not the host’s', () => {
    expect(
      handle({ type: MessageType.Request, options: [[Option.RequestedIpAddress, optionValue.ipv4('192.168.1.5')]] }),
    ).toMatchObject({ messageType: MessageType.Nak });
  });

  it('answers INFORM without address or lease time, to ciaddr', () => {
    const outcome = handle({ type: MessageType.Inform, ciaddr: '10.213.0.20' });
    expect(outcome).toMatchObject({ kind: 'reply', destination: { address: '10.213.0.20', via: 'ciaddr' } });
    const ack = replyOf(outcome);
    expect(ack.yiaddr).toBe('0.0.0.0');
    expect(opt(ack, Option.LeaseTime)).toBeUndefined();
    expect(opt(ack, Option.SubnetMask)).toBeDefined();
  });

  it('sends nothing for RELEASE and DECLINE', () => {
    expect(handle({ type: MessageType.Release, ciaddr: '10.213.0.20' })).toMatchObject({
      kind: 'ignored',
      reason: 'release',
    });
    expect(handle({ type: MessageType.Decline })).toMatchObject({ kind: 'ignored', reason: 'decline' });
  });

  it('answers a relayed request to the relay on the server port and echoes option 82 last', () => {
    const relayInfo = Buffer.from([1, 4, 0x70, 0x6f, 0x72, 0x74]);
    const outcome = handle({
      type: MessageType.Discover,
      giaddr: '10.213.5.1',
      options: [[Option.RelayAgentInformation, relayInfo]],
    });
    expect(outcome).toMatchObject({ destination: { address: '10.213.5.1', port: 67, via: 'relay' } });
    const offer = replyOf(outcome);
    expect(offer.giaddr).toBe('10.213.5.1');
    expect(opt(offer, Option.RelayAgentInformation)).toEqual(relayInfo);
    expect([...offer.options.keys()].at(-1)).toBe(Option.RelayAgentInformation);
  });

  it('sets the broadcast bit on a NAK sent through a relay', () => {
    const outcome = handle({
      type: MessageType.Request,
      giaddr: '10.213.5.1',
      options: [[Option.RequestedIpAddress, optionValue.ipv4('10.9.9.9')]],
    });
    expect(replyOf(outcome).flags & 0x8000).toBe(0x8000);
  });

  it('honours the client’s maximum message size', () => {
    const outcome = handle({
      type: MessageType.Discover,
      options: [[Option.MaxMessageSize, Buffer.from([0x05, 0xdc])]],
    });
    expect(outcome).toMatchObject({ maxLength: 1500 - 28 });
  });
});

describe('handleDhcpPacket boot decisions', () => {
  it('gives a BIOS PXE ROM undionly.kpxe over TFTP', () => {
    const offer = replyOf(handle({ type: MessageType.Discover, options: pxeBiosOptions }));
    expect(offer.file).toBe('undionly.kpxe');
    expect(offer.siaddr).toBe('10.213.0.1');
    expect(text(offer, Option.BootfileName)).toBe('undionly.kpxe');
    expect(text(offer, Option.TftpServerName)).toBe('10.213.0.1');
    expect(text(offer, Option.VendorClassIdentifier)).toBe('PXEClient');
  });

  it.each([
    [7, 'snponly.efi'],
    [9, 'snponly.efi'],
    [6, 'snponly.efi'],
  ])('gives a UEFI PXE ROM of architecture %i %s', (arch, file) => {
    const options: [number, Buffer][] = [
      [Option.VendorClassIdentifier, optionValue.text('PXEClient:Arch:00007:UNDI:003016')],
      [Option.ClientSystemArchitecture, Buffer.from([0, arch])],
    ];
    expect(replyOf(handle({ type: MessageType.Discover, options })).file).toBe(file);
  });

  it('falls back to ipxe.efi and picks the arm64 binary only when present', () => {
    const uefi = (arch: number): [number, Buffer][] => [
      [Option.VendorClassIdentifier, optionValue.text('PXEClient')],
      [Option.ClientSystemArchitecture, Buffer.from([0, arch])],
    ];
    const onlyIpxe = { bootFiles: new Set(['ipxe.efi', 'arm64/ipxe.efi']) };
    expect(replyOf(handle({ type: 1, options: uefi(7) }, undefined, onlyIpxe)).file).toBe('ipxe.efi');
    expect(replyOf(handle({ type: 1, options: uefi(11) }, undefined, onlyIpxe)).file).toBe('arm64/ipxe.efi');
    const noArm = replyOf(handle({ type: 1, options: uefi(11) }));
    expect(noArm.yiaddr).toBe('10.213.0.20');
    expect(opt(noArm, Option.BootfileName)).toBeUndefined();
  });

  it('leases without a boot file to a PXE ROM when TFTP is disabled', () => {
    const offer = replyOf(
      handle({ type: MessageType.Discover, options: pxeBiosOptions }, undefined, { tftpEnabled: false }),
    );
    expect(offer.yiaddr).toBe('10.213.0.20');
    expect(opt(offer, Option.BootfileName)).toBeUndefined();
  });

  it('gives UEFI HTTP Boot an absolute URL and echoes HTTPClient', () => {
    const options: [number, Buffer][] = [
      [Option.VendorClassIdentifier, optionValue.text('HTTPClient:Arch:00016:UNDI:003001')],
      [Option.ClientSystemArchitecture, Buffer.from([0, 16])],
    ];
    const offer = replyOf(handle({ type: MessageType.Discover, options }));
    expect(text(offer, Option.BootfileName)).toBe('http://10.213.0.1:8080/boot/snponly.efi');
    expect(text(offer, Option.VendorClassIdentifier)).toBe('HTTPClient');
  });

  it.each([
    ['inspecting', 'inspector'],
    ['provisioning', 'installer'],
    ['deprovisioning', 'installer'],
    ['available', 'local'],
    ['provisioned', 'local'],
  ])('gives iPXE in state %s the %s script', (state, script) => {
    const host = bmh('server-01', 'aa:bb:cc:dd:ee:01', { 'metal3.vcluster.com/ip-address': '10.213.0.20/24' }, state);
    const options: [number, Buffer][] = [
      [Option.VendorClassIdentifier, optionValue.text('PXEClient:Arch:00000:UNDI:002001')],
      [Option.UserClass, optionValue.text('iPXE')],
    ];
    const offer = replyOf(handle({ type: MessageType.Discover, options }, indexWith(host)));
    expect(text(offer, Option.BootfileName)).toBe(`http://10.213.0.1:8080/ipxe/${script}.ipxe?mac=aa:bb:cc:dd:ee:01`);
  });

  it('recognises iPXE by option 175 alone', () => {
    const offer = replyOf(
      handle({ type: MessageType.Discover, options: [[Option.IpxeEncapsulated, Buffer.from([19, 1, 1])]] }),
    );
    expect(text(offer, Option.BootfileName)).toContain('/ipxe/local.ipxe');
  });

  it('gives a plain DHCP client a lease and no boot file', () => {
    const offer = replyOf(handle({ type: MessageType.Discover }));
    expect(offer.yiaddr).toBe('10.213.0.20');
    expect(offer.file).toBe('');
    expect(opt(offer, Option.BootfileName)).toBeUndefined();
  });
});
