import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineWatcher, NamespaceLab, ipIn, run } from './netns.js';

/**
 * A machine that network-boots through us: QEMU (software emulation) in a namespace, its NIC on a
 * bridge with our boot servers. The serial console is read for the script's marker line.
 */

const SERVER_IP = '10.213.30.1';
const lab = new NamespaceLab(`m3q${process.pid % 100000}`);
const work = mkdtempSync(path.join(tmpdir(), 'qemu-boot-'));
const OVMF = '/usr/share/OVMF/OVMF_CODE.fd';
const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS.fd';
let ns: string;
let server: LineWatcher;

const biosHost = { name: 'bios-vm', mac: '52:54:00:13:00:01', ip: '10.213.30.21/24', tap: 'qtap0' };
const uefiHost = { name: 'uefi-vm', mac: '52:54:00:13:00:02', ip: '10.213.30.22/24', tap: 'qtap1' };
const hosts = [biosHost, uefiHost];

/** Starts QEMU and resolves with the serial console text once `marker` appears on it. */
async function bootUntil(args: string[], serialLog: string, marker: string, timeoutMs: number): Promise<string> {
  lab.spawnIn(ns, [
    'qemu-system-x86_64',
    '-machine',
    'pc,accel=tcg',
    '-m',
    '256',
    '-display',
    'none',
    '-monitor',
    'none',
    '-serial',
    `file:${serialLog}`,
    '-no-reboot',
    ...args,
  ]);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The serial console wraps at 80 columns; join the lines before searching.
    const text = existsSync(serialLog) ? readFileSync(serialLog, 'latin1').replace(/\r?\n|\r/g, '') : '';
    if (text.includes(marker) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

beforeAll(async () => {
  ns = lab.namespace('qemu');
  ipIn(ns, 'link', 'add', 'br0', 'type', 'bridge');
  ipIn(ns, 'addr', 'add', `${SERVER_IP}/24`, 'dev', 'br0');
  ipIn(ns, 'link', 'set', 'br0', 'up');
  for (const host of hosts) {
    run('ip', ['netns', 'exec', ns, 'ip', 'tuntap', 'add', 'dev', host.tap, 'mode', 'tap']);
    ipIn(ns, 'link', 'set', host.tap, 'master', 'br0');
    ipIn(ns, 'link', 'set', host.tap, 'up');
  }
  writeFileSync(
    path.join(work, 'hosts.yaml'),
    hosts
      .map((host) =>
        JSON.stringify({
          apiVersion: 'metal3.io/v1alpha1',
          kind: 'BareMetalHost',
          metadata: {
            name: host.name,
            namespace: 'metal3-system',
            annotations: { 'metal3.vcluster.com/ip-address': host.ip },
          },
          spec: { bootMACAddress: host.mac, online: false },
          status: { provisioning: { state: 'inspecting' } },
        }),
      )
      .join('\n---\n'),
  );
  // SeaBIOS mirrors the text console (and so iPXE's output) to this serial port: a 16-bit port number.
  writeFileSync(path.join(work, 'sercon-port'), Buffer.from([0xf8, 0x03]));
  const child = lab.spawnIn(ns, [
    'env',
    `SERVER_IP=${SERVER_IP}`,
    process.execPath,
    '--import',
    'tsx',
    'test/e2e/dhcp/runBootServer.ts',
    'boot-server',
    '--set',
    'dhcp.serverIP=$(SERVER_IP)',
    '--set',
    `proxy.ironicHttpUrl=http://${SERVER_IP}:6180`,
    '--boot-files-dir',
    '/usr/lib/ipxe',
    '--hosts-file',
    path.join(work, 'hosts.yaml'),
  ]);
  server = new LineWatcher(child);
  await server.waitFor((line) => line.includes('DHCP server listening'), 60_000);
}, 120_000);

afterAll(async () => {
  await lab.destroy();
  rmSync(work, { recursive: true, force: true });
});

describe('QEMU network boot', () => {
  it('boots a BIOS machine with the iPXE NIC ROM to our inspector script', async () => {
    const host = biosHost;
    const serial = await bootUntil(
      [
        '-boot',
        'n',
        '-vga',
        'none',
        '-fw_cfg',
        `name=etc/sercon-port,file=${path.join(work, 'sercon-port')}`,
        '-netdev',
        `tap,id=n0,ifname=${host.tap},script=no,downscript=no`,
        '-device',
        `virtio-net-pci,netdev=n0,mac=${host.mac}`,
      ],
      path.join(work, 'bios-serial.log'),
      `metal3-provider boot script: inspector for metal3-system/${host.name}`,
      150_000,
    );
    expect(serial).toContain(`net0: ${host.ip.replace('/24', '')}/255.255.255.0 gw ${SERVER_IP}`);
    expect(serial).toContain(`metal3-provider boot script: inspector for metal3-system/${host.name}`);
    await server.waitFor((line) => line.includes('"HTTP boot request"') && line.includes(`metal3-system/${host.name}`));
  }, 200_000);

  it('boots a UEFI machine: snponly.efi over TFTP, then our script', async () => {
    const host = uefiHost;
    const vars = path.join(work, 'OVMF_VARS.fd');
    writeFileSync(vars, readFileSync(OVMF_VARS));
    const serial = await bootUntil(
      [
        '-drive',
        `if=pflash,format=raw,readonly=on,file=${OVMF}`,
        '-drive',
        `if=pflash,format=raw,file=${vars}`,
        '-netdev',
        `tap,id=n0,ifname=${host.tap},script=no,downscript=no`,
        '-device',
        `virtio-net-pci,netdev=n0,mac=${host.mac},romfile=`,
      ],
      path.join(work, 'uefi-serial.log'),
      `metal3-provider boot script: inspector for metal3-system/${host.name}`,
      240_000,
    );
    await server.waitFor((line) => line.includes('"TFTP transfer complete"') && line.includes('snponly.efi'), 5_000);
    expect(serial).toContain(`metal3-provider boot script: inspector for metal3-system/${host.name}`);
  }, 300_000);
});
