import { decodeDhcpPacket } from '../../dhcp/dhcpv4/decodeDhcpPacket.js';
import { MessageType, Option } from '../../dhcp/dhcpv4/dhcpPacket.js';
import {
  DhcpEncodeError,
  encodeDhcpPacket,
  optionValue,
  type EncodableOptions,
} from '../../dhcp/dhcpv4/encodeDhcpPacket.js';
import { handleDhcpPacket, type DhcpSettings } from '../../dhcp/dhcpv4/handleDhcpPacket.js';
import type { BootHost } from '../../dhcp/hosts/bootHost.js';
import type { HostLookup } from '../../dhcp/hosts/hostLookup.js';
import {
  decodeTftpPacket,
  encodeTftpData,
  encodeTftpError,
  encodeTftpOack,
  encodeTftpRequest,
} from '../../dhcp/tftp/tftpPacket.js';
import { clientPacket } from './dhcpClientPackets.js';
import { SeededRandom } from './seededRandom.js';

/**
 * Fuzzing of the DHCP and TFTP decoders and the DHCP reply logic: random datagrams and mutations
 * of real ones. The invariants: nothing throws, random garbage never earns a reply, and every
 * reply encodes into a packet that decodes again. The unit test runs it briefly with a fixed seed;
 * the DHCP benchmark runs it at length.
 */

export interface FuzzReport {
  inputs: number;
  dhcp: { decoded: number; dropped: Record<string, number>; replies: number; repliesToRandom: number };
  tftp: { decoded: number; dropped: Record<string, number> };
  /** Invariant violations, with the input in hex; empty when the run is clean. */
  failures: string[];
}

const KNOWN_MAC = 'aa:bb:cc:dd:ee:01';
const knownHost: BootHost = {
  host: 'fuzz/server-01',
  mac: KNOWN_MAC,
  address: '10.213.0.20',
  subnetMask: '255.255.255.0',
  broadcastAddress: '10.213.0.255',
  gateway: '10.213.0.1',
  dnsServers: ['10.213.0.53'],
  ntpServers: [],
  provisioningState: 'inspecting',
  hostName: 'server-01',
};
const lookup: HostLookup = {
  byMac: (mac) => (mac === KNOWN_MAC ? knownHost : undefined),
  unusableByMac: () => undefined,
};
const settings: DhcpSettings = {
  serverIp: '10.213.0.1',
  serverPort: 67,
  clientPort: 68,
  leaseSeconds: 3600,
  tftpEnabled: true,
  httpBaseUrl: 'http://10.213.0.1:8080',
  bootFiles: new Set(['undionly.kpxe', 'snponly.efi']),
};

function request(type: number, options: EncodableOptions, fields: { giaddr?: string; ciaddr?: string } = {}): Buffer {
  return clientPacket({ type, options, mac: KNOWN_MAC, xid: 0x01020304, secs: 4, flags: 0x8000, ...fields });
}

/** Real-shaped datagrams to mutate: what PXE ROMs, iPXE, relays and OS clients send. */
export function dhcpCorpus(): Buffer[] {
  const pxe: EncodableOptions = [
    [Option.ParameterRequestList, Buffer.from([1, 3, 6, 43, 60, 66, 67, 128, 129])],
    [Option.MaxMessageSize, Buffer.from([0x04, 0xec])],
    [Option.ClientSystemArchitecture, Buffer.from([0, 7])],
    [Option.ClientNetworkInterface, Buffer.from([1, 3, 16])],
    [Option.ClientMachineIdentifier, Buffer.concat([Buffer.from([0]), Buffer.alloc(16, 0x5a)])],
    [Option.VendorClassIdentifier, optionValue.text('PXEClient:Arch:00007:UNDI:003016')],
  ];
  const overloaded = request(MessageType.Discover, [[Option.Overload, optionValue.uint8(3)]]);
  Buffer.from([Option.HostName, 3, 0x61, 0x62, 0x63, 255]).copy(overloaded, 108);
  Buffer.from([Option.VendorClassIdentifier, 9, ...Buffer.from('PXEClient'), 255]).copy(overloaded, 44);
  return [
    request(MessageType.Discover, pxe),
    request(MessageType.Discover, [
      ...pxe,
      [Option.UserClass, optionValue.text('iPXE')],
      [Option.IpxeEncapsulated, Buffer.from([19, 1, 1, 17, 1, 1])],
    ]),
    request(MessageType.Request, [
      [Option.ServerIdentifier, optionValue.ipv4('10.213.0.1')],
      [Option.RequestedIpAddress, optionValue.ipv4('10.213.0.20')],
      [Option.ClientIdentifier, Buffer.from([1, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x01])],
    ]),
    request(
      MessageType.Discover,
      [[Option.RelayAgentInformation, Buffer.from([1, 4, 0x65, 0x74, 0x68, 0x30, 2, 2, 0, 1])]],
      { giaddr: '10.213.5.1' },
    ),
    request(MessageType.Inform, [[Option.HostName, optionValue.text('node')]], { ciaddr: '10.213.0.20' }),
    request(MessageType.Discover, [
      [Option.VendorClassIdentifier, optionValue.text('HTTPClient:Arch:00016:UNDI:003001')],
      [Option.ClientSystemArchitecture, Buffer.from([0, 16])],
    ]),
    overloaded,
  ];
}

export function tftpCorpus(): Buffer[] {
  return [
    encodeTftpRequest(
      1,
      'undionly.kpxe',
      'octet',
      new Map([
        ['blksize', '1428'],
        ['tsize', '0'],
        ['windowsize', '16'],
        ['timeout', '3'],
      ]),
    ),
    encodeTftpRequest(1, 'snponly.efi', 'octet'),
    encodeTftpRequest(2, 'upload.bin', 'netascii'),
    Buffer.from([0, 4, 0xff, 0xff]),
    encodeTftpData(7, Buffer.alloc(32, 1)),
    encodeTftpError(8, 'option refused'),
    encodeTftpOack(new Map([['blksize', '1428']])),
  ];
}

function randomBytes(random: () => number, maxLength: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.floor(random() * maxLength));
  for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(random() * 256);
  return buf;
}

/** Interesting values for length and type octets. */
const EDGE_BYTES = [0, 1, 2, 3, 4, 127, 128, 252, 253, 254, 255];

function mutate(random: () => number, input: Buffer): Buffer {
  let buf = Buffer.from(input);
  const rounds = 1 + Math.floor(random() * 4);
  for (let r = 0; r < rounds; r++) {
    const at = Math.floor(random() * Math.max(1, buf.length));
    switch (Math.floor(random() * 6)) {
      case 0:
        if (buf.length > 0) buf[at] = (buf[at] ?? 0) ^ (1 << Math.floor(random() * 8));
        break;
      case 1:
        if (buf.length > 0) buf[at] = EDGE_BYTES[Math.floor(random() * EDGE_BYTES.length)] ?? 0;
        break;
      case 2:
        buf = buf.subarray(0, at);
        break;
      case 3:
        buf = Buffer.concat([buf, randomBytes(random, 64)]);
        break;
      case 4:
        buf = Buffer.concat([buf.subarray(0, at), randomBytes(random, 16), buf.subarray(at)]);
        break;
      default:
        buf = Buffer.concat([
          buf.subarray(0, at),
          buf.subarray(Math.min(buf.length, at + 1 + Math.floor(random() * 8))),
        ]);
    }
  }
  return buf;
}

function bump(counters: Record<string, number>, key: string): void {
  counters[key] = (counters[key] ?? 0) + 1;
}

/** Runs `iterations` DHCP inputs and as many TFTP inputs; half random, half mutated. */
export function fuzzDecoders(seed: number, iterations: number): FuzzReport {
  const seeded = new SeededRandom(seed);
  const random = (): number => seeded.next();
  const dhcpSeeds = dhcpCorpus();
  const tftpSeeds = tftpCorpus();
  const report: FuzzReport = {
    inputs: 0,
    dhcp: { decoded: 0, dropped: {}, replies: 0, repliesToRandom: 0 },
    tftp: { decoded: 0, dropped: {} },
    failures: [],
  };
  const fail = (what: string, input: Buffer, error: unknown): void => {
    if (report.failures.length < 20) report.failures.push(`${what}: ${String(error)} input=${input.toString('hex')}`);
  };

  for (let i = 0; i < iterations; i++) {
    const isRandom = i % 2 === 0;
    const dhcpInput = isRandom
      ? randomBytes(random, 600)
      : mutate(random, dhcpSeeds[i % dhcpSeeds.length] ?? Buffer.alloc(0));
    report.inputs++;
    try {
      const decoded = decodeDhcpPacket(dhcpInput);
      if (!decoded.ok) {
        bump(report.dhcp.dropped, decoded.error.reason);
      } else {
        report.dhcp.decoded++;
        const outcome = handleDhcpPacket(decoded.packet, lookup, settings);
        if (outcome.kind === 'reply') {
          report.dhcp.replies++;
          if (isRandom) report.dhcp.repliesToRandom++;
          try {
            const wire = encodeDhcpPacket(outcome.packet, outcome.maxLength);
            if (!decodeDhcpPacket(wire).ok) fail('reply does not decode', dhcpInput, 'decode failed');
          } catch (error) {
            if (!(error instanceof DhcpEncodeError)) throw error;
          }
        }
      }
    } catch (error) {
      fail('DHCP threw', dhcpInput, error);
    }

    const tftpInput = isRandom
      ? randomBytes(random, 600)
      : mutate(random, tftpSeeds[i % tftpSeeds.length] ?? Buffer.alloc(0));
    report.inputs++;
    try {
      const decoded = decodeTftpPacket(tftpInput);
      if (decoded.ok) report.tftp.decoded++;
      else bump(report.tftp.dropped, decoded.error.reason);
    } catch (error) {
      fail('TFTP threw', tftpInput, error);
    }
  }
  return report;
}
