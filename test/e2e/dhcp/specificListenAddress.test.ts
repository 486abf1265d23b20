import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LineWatcher, NamespaceLab, requestLease } from './netns.js';

/**
 * The spec's hostNetwork example: `dhcp.listenAddr: "$(SERVER_IP):67"` and TFTP disabled. Linux
 * does not deliver limited broadcasts to a socket bound to a unicast address, so this checks that a
 * broadcasting client still gets its lease, and that a PXE ROM gets no TFTP boot file.
 */

const SERVER_IP = '10.213.50.1';
const MAC = 'aa:bb:cc:dd:ee:51';
const lab = new NamespaceLab(`m3l${process.pid % 100000}`);
const work = mkdtempSync(path.join(tmpdir(), 'listen-addr-'));
let cli: string;

beforeAll(async () => {
  const srv = lab.namespace('srv');
  cli = lab.namespace('cli');
  lab.link({ ns: srv, dev: 's0', cidr: `${SERVER_IP}/24` }, { ns: cli, dev: 'c0', mac: MAC });
  writeFileSync(
    path.join(work, 'hosts.yaml'),
    JSON.stringify({
      apiVersion: 'metal3.io/v1alpha1',
      kind: 'BareMetalHost',
      metadata: {
        name: 'server-51',
        namespace: 'metal3-system',
        annotations: { 'metal3.vcluster.com/ip-address': '10.213.50.20/24' },
      },
      spec: { bootMACAddress: MAC, online: false },
    }),
  );
  const server = new LineWatcher(
    lab.spawnIn(srv, [
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
      'dhcp.listenAddr=$(SERVER_IP):67',
      '--set',
      'tftp.listenAddr=',
      '--set',
      `proxy.ironicHttpUrl=http://${SERVER_IP}:6180`,
      '--boot-files-dir',
      '/usr/lib/ipxe',
      '--hosts-file',
      path.join(work, 'hosts.yaml'),
    ]),
  );
  await server.waitFor(
    (line) => line.includes('DHCP server listening') && line.includes(`"listen":"${SERVER_IP}:67"`),
    60_000,
  );
}, 120_000);

afterAll(async () => {
  await lab.destroy();
  rmSync(work, { recursive: true, force: true });
});

it('leases to a broadcasting PXE client and offers no TFTP boot file while TFTP is disabled', () => {
  const lease = requestLease(cli, work, { extraArgs: ['-V', 'PXEClient:Arch:00000:UNDI:002001'] });
  expect(lease).toMatchObject({ ip: '10.213.50.20', serverid: SERVER_IP });
  expect(lease).not.toHaveProperty('boot_file');
});
