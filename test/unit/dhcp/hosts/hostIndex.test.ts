import { describe, expect, it } from 'vitest';
import { BareMetalHost } from '../../../../api/bareMetalHost.js';
import { HostIndex } from '../../../../dhcp/hosts/hostIndex.js';
import { renderIpxeScript } from '../../../../dhcp/httpboot/ipxeScripts.js';

function bmh(name: string, mac: string | undefined, annotations: Record<string, string> = {}, state = 'available') {
  return BareMetalHost.parse({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name, namespace: 'ns', annotations },
    spec: mac === undefined ? {} : { bootMACAddress: mac },
    status: { provisioning: { state } },
  });
}
const lease = { 'metal3.vcluster.com/ip-address': '10.213.0.20/24' };

describe('HostIndex', () => {
  it('finds a host by boot MAC in any case and separator', () => {
    const index = new HostIndex();
    expect(index.updateFromBareMetalHost(bmh('a', 'AA:BB:CC:DD:EE:01', lease))).toMatchObject({ kind: 'indexed' });
    expect(index.byMac('aa:bb:cc:dd:ee:01')?.host).toBe('ns/a');
    expect(index.byMac('AA-BB-CC-DD-EE-01')?.address).toBe('10.213.0.20');
  });

  it('applies updates: a new state, a new MAC, a removed host', () => {
    const index = new HostIndex();
    index.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', lease));
    index.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', lease, 'inspecting'));
    expect(index.byMac('aa:bb:cc:dd:ee:01')?.provisioningState).toBe('inspecting');
    index.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:02', lease));
    expect(index.byMac('aa:bb:cc:dd:ee:01')).toBeUndefined();
    expect(index.byMac('aa:bb:cc:dd:ee:02')).toBeDefined();
    index.removeBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:02'));
    expect(index.size).toBe(0);
  });

  it('keeps hosts without a usable lease as unusable, with the reason', () => {
    const index = new HostIndex();
    const change = index.updateFromBareMetalHost(bmh('b', 'aa:bb:cc:dd:ee:03'));
    expect(change).toMatchObject({ kind: 'unusable', unusable: { host: 'ns/b' } });
    expect(index.byMac('aa:bb:cc:dd:ee:03')).toBeUndefined();
    expect(index.unusableByMac('aa:bb:cc:dd:ee:03')?.problem).toContain('metal3.vcluster.com/ip-address');
    for (const [annotations, fragment] of [
      [{ 'metal3.vcluster.com/ip-address': '10.0.0.5' }, 'with prefix'],
      [{ 'metal3.vcluster.com/ip-address': '10.0.0.1/24' }, "host's own address"],
      [{ ...lease, 'metal3.vcluster.com/dns-servers': '8.8.8.8,nope' }, '"nope"'],
      [{ ...lease, 'metal3.vcluster.com/gateway': '10.0.0.256' }, 'gateway'],
    ] as const) {
      const result = index.updateFromBareMetalHost(bmh('b', 'aa:bb:cc:dd:ee:03', annotations));
      expect(result.kind === 'unusable' && result.unusable.problem).toContain(fragment);
    }
  });

  it('does not let a second host take a MAC that is already indexed', () => {
    const index = new HostIndex();
    index.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', lease));
    expect(index.updateFromBareMetalHost(bmh('c', 'aa:bb:cc:dd:ee:01', lease))).toMatchObject({
      kind: 'duplicate-mac',
      owner: 'ns/a',
    });
    expect(index.byMac('aa:bb:cc:dd:ee:01')?.host).toBe('ns/a');
  });

  it('drops a host that loses its boot MAC or is being deleted', () => {
    const index = new HostIndex();
    index.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', lease));
    index.updateFromBareMetalHost(bmh('a', undefined, lease));
    expect(index.size).toBe(0);
    index.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', lease));
    const deleting = bmh('a', 'aa:bb:cc:dd:ee:01', lease);
    deleting.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    index.updateFromBareMetalHost(deleting);
    expect(index.size).toBe(0);
  });
});

describe('renderIpxeScript', () => {
  const index = new HostIndex();
  index.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', lease));
  const host = index.byMac('aa:bb:cc:dd:ee:01');
  const settings = {
    imagesUrl: 'http://10.0.0.2:8080/',
    callbackUrl: 'http://10.0.0.2:8081',
    inspectorCollectors: 'default,logs',
    inspectorExtraKernelParams: ['console=ttyS0', 'ipa-debug=1'],
    installerExtraKernelParams: ['nomodeset'],
  };

  it('retries downloads and prints a marker', () => {
    if (!host) throw new Error('host not indexed');
    const script = renderIpxeScript('inspector', host, settings);
    expect(script.split('\n').slice(0, 2)).toEqual([
      '#!ipxe',
      'echo metal3-provider boot script: inspector for ns/a (aa:bb:cc:dd:ee:01)',
    ]);
    expect(script).toContain(
      'kernel --timeout 60000 http://10.0.0.2:8080/images/ironic-python-agent.kernel BOOTIF=aa:bb:cc:dd:ee:01 ipa-api-url=http://10.0.0.2:8081 ipa-inspection-callback-url=http://10.0.0.2:8081/v1/continue_inspection ipa-inspection-collectors=default,logs console=ttyS0 ipa-debug=1 initrd=ironic-python-agent.initramfs || goto retry',
    );
    expect(script).toContain('goto download');
    const installer = renderIpxeScript('installer', host, settings);
    expect(installer).toContain('ipa-api-url=http://10.0.0.2:8081 nomodeset initrd=');
    expect(installer).not.toContain('console=ttyS0');
    expect(renderIpxeScript('local', host, settings)).toContain('sanboot --no-describe --drive 0x80 || exit');
  });
});
