import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  mkdirSync,
  chmodSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineWatcher, NamespaceLab, ipIn, requestLease, runIn } from './netns.js';

/**
 * The boot servers on a real (virtual) network: our server in one namespace, busybox udhcpc,
 * dhclient, dhcrelay, atftp, curl and tcpdump in others. Addresses exist only inside these
 * namespaces; nothing is bound on this machine's own interfaces.
 */

const SERVER_IP = '10.213.0.1';
const KNOWN_MAC = 'aa:bb:cc:dd:ee:01';
const RELAYED_MAC = 'aa:bb:cc:dd:ee:05';
const NO_LEASE_MAC = 'aa:bb:cc:dd:ee:06';
const UNKNOWN_MAC = 'aa:bb:cc:dd:ee:99';

const lab = new NamespaceLab(`m3b${process.pid % 100000}`);
const work = mkdtempSync(path.join(tmpdir(), 'boot-e2e-'));
const bootDir = path.join(work, 'boot');
let srv: string;
let cli: string;
let relayClient: string;
let server: LineWatcher;

function bmh(name: string, mac: string, annotations: Record<string, string>, state: string): string {
  return JSON.stringify({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name, namespace: 'metal3-system', annotations },
    spec: { bootMACAddress: mac.toUpperCase(), online: false },
    status: { provisioning: { state } },
  });
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

beforeAll(async () => {
  mkdirSync(path.join(bootDir, 'sub'), { recursive: true });
  for (const file of ['undionly.kpxe', 'snponly.efi', 'ipxe.efi'])
    copyFileSync(path.join('/usr/lib/ipxe', file), path.join(bootDir, file));
  // 600 KiB: with blksize 8 the block number passes 65535 and rolls over.
  writeFileSync(path.join(bootDir, 'big.bin'), randomBytes(600 * 1024));
  writeFileSync(path.join(bootDir, 'sub', 'notes.txt'), 'line one\nline two\n');
  writeFileSync(path.join(work, 'secret.txt'), 'outside the root\n');
  symlinkSync(path.join(work, 'secret.txt'), path.join(bootDir, 'escape'));
  writeFileSync(
    path.join(work, 'hosts.yaml'),
    [
      bmh(
        'server-01',
        KNOWN_MAC,
        {
          'metal3.vcluster.com/ip-address': '10.213.0.20/24',
          'metal3.vcluster.com/dns-servers': '10.213.0.53',
          'metal3.vcluster.com/ntp-servers': '10.213.0.123',
        },
        'inspecting',
      ),
      bmh('server-05', RELAYED_MAC, { 'metal3.vcluster.com/ip-address': '10.213.10.20/24' }, 'provisioning'),
      bmh('server-06', NO_LEASE_MAC, {}, 'available'),
    ].join('\n---\n'),
  );
  writeFileSync(
    path.join(work, 'values.yaml'),
    [
      'dhcp:',
      '  serverIP: "$(SERVER_IP)"',
      'proxy:',
      '  ironicHttpUrl: "http://$(SERVER_IP):6180"',
      'image:',
      '  tag: ignored-by-the-server',
    ].join('\n'),
  );

  srv = lab.namespace('srv');
  cli = lab.namespace('cli');
  const relay = lab.namespace('rly');
  relayClient = lab.namespace('rcl');
  lab.link({ ns: srv, dev: 's0', cidr: `${SERVER_IP}/24` }, { ns: cli, dev: 'c0', mac: KNOWN_MAC });
  lab.link({ ns: srv, dev: 's1', cidr: '10.213.9.1/24' }, { ns: relay, dev: 'r1', cidr: '10.213.9.2/24' });
  lab.link({ ns: relay, dev: 'r0', cidr: '10.213.10.1/24' }, { ns: relayClient, dev: 'c0', mac: RELAYED_MAC });
  ipIn(srv, 'route', 'add', '10.213.10.0/24', 'via', '10.213.9.2');
  ipIn(relay, 'route', 'add', '10.213.0.0/24', 'via', '10.213.9.1');

  const child = lab.spawnIn(srv, [
    'env',
    `SERVER_IP=${SERVER_IP}`,
    process.execPath,
    '--import',
    'tsx',
    'test/e2e/dhcp/runBootServer.ts',
    'boot-server',
    '-f',
    path.join(work, 'values.yaml'),
    '--boot-files-dir',
    bootDir,
    '--hosts-file',
    path.join(work, 'hosts.yaml'),
    '--inspector-extra-kernel-param=console=ttyS0,115200n8',
    '--inspector-collectors=default,logs',
  ]);
  server = new LineWatcher(child);
  await server.waitFor((line) => line.includes('DHCP server listening'), 60_000);
  lab.spawnIn(relay, ['dhcrelay', '-4', '-d', '-q', '-id', 'r0', '-iu', 'r1', '10.213.9.1']);
}, 120_000);

afterAll(async () => {
  await lab.destroy();
  rmSync(work, { recursive: true, force: true });
});

describe('DHCP with real clients', () => {
  it('leases the annotated address with gateway, DNS and NTP to busybox udhcpc', () => {
    const lease = requestLease(cli, work, { extraArgs: ['-O', 'ntpsrv'] });
    expect(lease).toMatchObject({
      ip: '10.213.0.20',
      subnet: '255.255.255.0',
      router: '10.213.0.1',
      dns: '10.213.0.53',
      ntpsrv: '10.213.0.123',
      serverid: SERVER_IP,
      hostname: 'server-01',
    });
  });

  it('gives a PXE BIOS client undionly.kpxe from our TFTP server', () => {
    const lease = requestLease(cli, work, { extraArgs: ['-V', 'PXEClient:Arch:00000:UNDI:002001', '-x', '0x5d:0000'] });
    expect(lease).toMatchObject({ ip: '10.213.0.20', boot_file: 'undionly.kpxe', siaddr: SERVER_IP });
  });

  it('gives a UEFI PXE client snponly.efi', () => {
    const lease = requestLease(cli, work, { extraArgs: ['-V', 'PXEClient:Arch:00007:UNDI:003016', '-x', '0x5d:0007'] });
    expect(lease?.boot_file).toBe('snponly.efi');
  });

  it('gives iPXE the inspector script URL, and the script carries the flags', async () => {
    const lease = requestLease(cli, work, {
      extraArgs: ['-V', 'PXEClient:Arch:00000:UNDI:002001', '-x', '0x4d:69505845'],
    });
    const url = lease?.boot_file ?? '';
    expect(url).toBe(`http://${SERVER_IP}:8080/ipxe/inspector.ipxe?mac=${KNOWN_MAC}`);
    ipIn(cli, 'addr', 'replace', '10.213.0.20/24', 'dev', 'c0');
    const script = runIn(cli, ['curl', '-sS', '--max-time', '5', url]).stdout;
    expect(script).toContain('#!ipxe');
    expect(script).toContain('metal3-provider boot script: inspector for metal3-system/server-01');
    expect(script).toContain(`kernel --timeout 60000 http://${SERVER_IP}:8080/images/ironic-python-agent.kernel`);
    expect(script).toContain('ipa-inspection-collectors=default,logs');
    expect(script).toContain(`BOOTIF=${KNOWN_MAC}`);
    expect(script).toContain(`ipa-api-url=http://${SERVER_IP}:8081`);
    expect(script).toMatch(/ console=ttyS0,115200n8 /);
    await server.waitFor(
      (line) =>
        line.includes('"HTTP boot request"') &&
        line.includes('"host":"metal3-system/server-01"') &&
        line.includes(`"mac":"${KNOWN_MAC}"`),
    );
  });

  it('leases to ISC dhclient with the requested NTP option', async () => {
    const conf = path.join(work, 'dhclient.conf');
    writeFileSync(conf, 'request subnet-mask, routers, domain-name-servers, ntp-servers, host-name;\n');
    const script = path.join(work, 'dhclient.sh');
    writeFileSync(script, `#!/bin/sh\n[ "$reason" = BOUND ] && env > ${path.join(work, 'dhclient.env')}\nexit 0\n`);
    chmodSync(script, 0o755);
    const pidFile = path.join(work, 'dhclient.pid');
    // Without -d, dhclient goes to the background once bound; stop it right after.
    const result = runIn(
      cli,
      ['dhclient', '-1', '-cf', conf, '-sf', script, '-lf', path.join(work, 'dhclient.leases'), '-pf', pidFile, 'c0'],
      30_000,
    );
    // The parent exits as soon as it forks; the daemon writes its pid file a moment later.
    for (let waited = 0; !existsSync(pidFile) && waited < 10_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(pidFile), `dhclient wrote no pid file: ${result.stderr}`).toBe(true);
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
    const env = readFileSync(path.join(work, 'dhclient.env'), 'utf8');
    expect(env, result.stderr).toContain('new_ip_address=10.213.0.20');
    expect(env).toContain('new_routers=10.213.0.1');
    expect(env).toContain('new_ntp_servers=10.213.0.123');
    expect(env).toContain(`new_dhcp_server_identifier=${SERVER_IP}`);
  });

  it('answers a relayed client through the relay (giaddr)', () => {
    const lease = requestLease(relayClient, work);
    expect(lease).toMatchObject({ ip: '10.213.10.20', router: '10.213.10.1', serverid: SERVER_IP });
  });

  it('sends nothing at all to an unknown MAC or to a host without a lease annotation', async () => {
    const capture = lab.spawnIn(srv, ['tcpdump', '-i', 's0', '-n', '-l', '-U', 'udp port 67 or udp port 68']);
    const packets = new LineWatcher(capture);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const mac of [UNKNOWN_MAC, NO_LEASE_MAC]) {
      ipIn(cli, 'link', 'set', 'c0', 'address', mac);
      expect(requestLease(cli, work, { extraArgs: ['-V', 'PXEClient:Arch:00000:UNDI:002001'] })).toBeUndefined();
    }
    ipIn(cli, 'link', 'set', 'c0', 'address', KNOWN_MAC);
    await new Promise((resolve) => setTimeout(resolve, 500));
    capture.kill('SIGINT');
    const requests = packets.lines.filter((line) => line.includes('.68 > 255.255.255.255.67'));
    const replies = packets.lines.filter((line) => / IP [\d.]+\.67 > /.test(line));
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(replies).toEqual([]);
    await server.waitFor((line) => line.includes('not answering BareMetalHost metal3-system/server-06'));
  });
});

describe('TFTP with real clients', () => {
  const tftpOut = (name: string) => path.join(work, `tftp-${name}`);

  it('serves a boot binary to atftp with blksize 1428 and tsize', () => {
    const result = runIn(cli, [
      'atftp',
      '--option',
      'blksize 1428',
      '--option',
      'tsize 0',
      '-g',
      '-r',
      'undionly.kpxe',
      '-l',
      tftpOut('undionly'),
      SERVER_IP,
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(sha256(tftpOut('undionly'))).toBe(sha256(path.join(bootDir, 'undionly.kpxe')));
  });

  it('rolls block numbers over past 65535 with windowsize 16 (atftp)', () => {
    const result = runIn(
      cli,
      [
        'atftp',
        '--option',
        'blksize 8',
        '--option',
        'windowsize 16',
        '-g',
        '-r',
        'big.bin',
        '-l',
        tftpOut('big'),
        SERVER_IP,
      ],
      120_000,
    );
    expect(result.status, result.stderr).toBe(0);
    expect(sha256(tftpOut('big'))).toBe(sha256(path.join(bootDir, 'big.bin')));
  });

  it('serves curl with its default options and a subdirectory file', () => {
    const result = runIn(cli, [
      'curl',
      '-sS',
      '--max-time',
      '20',
      '-o',
      tftpOut('curl'),
      `tftp://${SERVER_IP}/sub/notes.txt`,
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(tftpOut('curl'), 'utf8')).toBe('line one\nline two\n');
  });

  it.each([['../secret.txt'], ['/etc/passwd'], ['escape'], ['sub/../../secret.txt']])(
    'refuses %s with an error packet',
    (name) => {
      const result = runIn(cli, ['atftp', '-g', '-r', name, '-l', tftpOut('refused'), SERVER_IP]);
      expect(result.status).not.toBe(0);
      expect(result.stderr + result.stdout).toMatch(/refused|no such file/i);
    },
  );

  it('refuses writes', () => {
    writeFileSync(tftpOut('upload'), 'data');
    const result = runIn(cli, ['atftp', '-p', '-l', tftpOut('upload'), '-r', 'upload', SERVER_IP]);
    expect(result.status).not.toBe(0);
    expect(result.stderr + result.stdout).toContain('read-only');
  });
});

describe('HTTP boot with curl', () => {
  it('serves boot binaries and refuses paths outside the root', () => {
    const out = path.join(work, 'http-snponly.efi');
    expect(runIn(cli, ['curl', '-sS', '-f', '-o', out, `http://${SERVER_IP}:8080/boot/snponly.efi`]).status).toBe(0);
    expect(sha256(out)).toBe(sha256(path.join(bootDir, 'snponly.efi')));
    for (const bad of ['/boot/escape', '/boot/..%2fsecret.txt', '/boot/%2fetc%2fpasswd']) {
      const status = runIn(cli, [
        'curl',
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        `http://${SERVER_IP}:8080${bad}`,
      ]).stdout;
      expect(['403', '404'], bad).toContain(status);
    }
  });

  it('serves the installer script to a provisioning host only for a known MAC', () => {
    const known = runIn(cli, ['curl', '-sS', '-f', `http://${SERVER_IP}:8080/ipxe/installer.ipxe?mac=${RELAYED_MAC}`]);
    expect(known.stdout).toContain('metal3-provider boot script: installer for metal3-system/server-05');
    expect(known.stdout).not.toContain('ipa-inspection-collectors');
    const unknown = runIn(cli, [
      'curl',
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      `http://${SERVER_IP}:8080/ipxe/installer.ipxe?mac=${UNKNOWN_MAC}`,
    ]);
    expect(unknown.stdout).toBe('404');
  });
});
