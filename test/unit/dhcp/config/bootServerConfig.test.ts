import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BootServerConfigError, expandEnv, resolveBootServerConfig } from '../../../../dhcp/config/bootServerConfig.js';

const env = { SERVER_IP: '192.168.100.2' };
const ironic = { proxy: { ironicHttpUrl: 'http://ironic.metal3-system.svc:6180' } };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof BootServerConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('resolveBootServerConfig', () => {
  it('applies the chart defaults with $(SERVER_IP) from the environment', () => {
    const config = resolveBootServerConfig({ values: [ironic], sets: [], flags: {}, env });
    expect(config.dhcp).toEqual({ serverIp: '192.168.100.2', listen: { host: '0.0.0.0', port: 67 } });
    expect(config.tftp).toEqual({
      listen: { host: '192.168.100.2', port: 69 },
      busyPollMicros: 100,
      maxTransfers: 512,
      maxTransfersPerClient: 8,
    });
    expect(config.http).toEqual({ listen: { host: '0.0.0.0', port: 8080 }, advertiseUrl: 'http://192.168.100.2:8080' });
    expect(config.proxy.callbackAdvertiseUrl).toBe('http://192.168.100.2:8081');
    expect(config.proxy.ironicHttpUrl).toBe('http://ironic.metal3-system.svc:6180');
    // Hosts download the agent through our HTTP server, which proxies Ironic's.
    expect(config.scripts).toMatchObject({
      imagesUrl: 'http://192.168.100.2:8080',
      callbackUrl: 'http://192.168.100.2:8081',
      inspectorCollectors: 'default,extra-hardware,logs',
    });
  });

  it('reads the spec’s hostNetwork example and its extraArgs', () => {
    const values: unknown = parse(
      'hostNetwork: true\ndhcp:\n  listenAddr: "$(SERVER_IP):67"\nextraArgs:\n  - --inspector-extra-kernel-param=console=ttyS0,115200n8\n',
    );
    const config = resolveBootServerConfig({
      values: [values, ironic],
      sets: [],
      flags: {
        inspectorExtraKernelParam: ['console=ttyS0,115200n8'],
        installerExtraKernelParam: ['console=ttyS0,115200n8', 'nomodeset'],
        callbackInsecureSkipVerify: true,
        tftpBusyPoll: '0',
        tftpMaxTransfers: '64',
        tftpMaxTransfersPerClient: '2',
      },
      env,
    });
    expect(config.dhcp.listen).toEqual({ host: '192.168.100.2', port: 67 });
    expect(config.tftp).toMatchObject({ busyPollMicros: 0, maxTransfers: 64, maxTransfersPerClient: 2 });
    expect(config.scripts.installerExtraKernelParams).toEqual(['console=ttyS0,115200n8', 'nomodeset']);
    expect(config.callbackInsecureSkipVerify).toBe(true);
  });

  it('follows dhcp.port into the default listen address and disables TFTP with ""', () => {
    const config = resolveBootServerConfig({
      values: [ironic],
      sets: ['dhcp.port=1067', 'tftp.listenAddr='],
      flags: {},
      env,
    });
    expect(config.dhcp.listen.port).toBe(1067);
    expect(config.tftp).toBeUndefined();
  });

  it('lists every problem at once', () => {
    const problems = problemsOf(() =>
      resolveBootServerConfig({
        values: [{ http: { advertiseUrl: 'ftp://x' } }],
        sets: ['tftp.port=70000', 'nonsense'],
        flags: {
          inspectorCollectors: 'a b',
          installerExtraKernelParam: ['two words'],
          tftpBusyPoll: '20ms',
          tftpMaxTransfers: '0',
          tftpMaxTransfersPerClient: '2x',
        },
        env: {},
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('--set "nonsense"'),
        expect.stringContaining('tftp.port: "70000"'),
        expect.stringContaining('dhcp.serverIP: "$(SERVER_IP)" is not an IPv4 address'),
        expect.stringContaining('http.advertiseUrl: "ftp://x"'),
        expect.stringContaining('proxy.ironicHttpUrl'),
        expect.stringContaining('--inspector-collectors'),
        expect.stringContaining('--installer-extra-kernel-param: "two words"'),
        expect.stringContaining('--tftp-busy-poll: "20ms" is not a number of microseconds'),
        '--tftp-max-transfers: "0" is not a whole number of transfers from 1 to 65535',
        '--tftp-max-transfers-per-client: "2x" is not a whole number of transfers from 1 to 65535',
      ]),
    );
  });

  it('refuses unknown keys in its own sections but ignores the rest of the chart values', () => {
    expect(
      problemsOf(() =>
        resolveBootServerConfig({
          values: [{ dhcp: { serverIp: '1.2.3.4' }, image: { tag: 'x' } }, ironic],
          sets: [],
          flags: {},
          env,
        }),
      ),
    ).toEqual([expect.stringContaining('dhcp')]);
  });
});

describe('expandEnv', () => {
  it('expands $(VAR), keeps undefined references and unescapes $$', () => {
    expect(expandEnv('$(A):$(B) $$(A)', { A: '1' })).toBe('1:$(B) $(A)');
  });
});
