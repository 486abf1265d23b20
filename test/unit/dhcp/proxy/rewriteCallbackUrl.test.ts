import { describe, expect, it } from 'vitest';
import { BareMetalHost } from '../../../../api/bareMetalHost.js';
import { LeaseAddressIndex } from '../../../../dhcp/hosts/leaseAddressIndex.js';
import { rewriteHeartbeat, type CallbackContext } from '../../../../dhcp/proxy/rewriteCallbackUrl.js';

function bmh(name: string, mac: string, cidr: string): BareMetalHost {
  return BareMetalHost.parse({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name, namespace: 'ns', annotations: { 'metal3.vcluster.com/ip-address': cidr } },
    spec: { bootMACAddress: mac },
  });
}

const hosts = new LeaseAddressIndex();
hosts.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', '10.0.0.20/24'));
hosts.updateFromBareMetalHost(bmh('b', 'aa:bb:cc:dd:ee:02', '10.0.0.5/24'));
const context: CallbackContext = {
  clientAddress: '10.0.0.20',
  hosts,
  agentPort: 9999,
  advertiseUrl: 'http://10.0.0.2:8081',
  ironicApiUrl: 'http://10.0.0.5:6385',
};

function codeOf(callbackUrl: unknown, over: Partial<CallbackContext> = {}): string {
  const result = rewriteHeartbeat({ callback_url: callbackUrl }, { ...context, ...over });
  return result.ok ? 'ok' : result.code;
}

describe('rewriteHeartbeat', () => {
  it('points the callback at the proxy, keeps the other fields and takes the agent certificate out', () => {
    const result = rewriteHeartbeat(
      {
        callback_url: 'https://10.0.0.20:9999',
        agent_token: 'secret',
        agent_version: '10.1.0',
        agent_verify_ca: '-----BEGIN CERTIFICATE-----',
        agent_status: 'start',
      },
      context,
    );
    expect(result).toMatchObject({
      ok: true,
      body: {
        callback_url: 'http://10.0.0.2:8081/agent/https/10.0.0.20',
        agent_token: 'secret',
        agent_version: '10.1.0',
        agent_status: 'start',
      },
      agent: { scheme: 'https', address: '10.0.0.20' },
      agentCa: '-----BEGIN CERTIFICATE-----',
    });
    if (result.ok) expect(result.body).not.toHaveProperty('agent_verify_ca');
    expect(codeOf('http://10.0.0.20:9999/')).toBe('ok');
  });

  it('refuses callbacks anywhere but the sender’s own lease address at the agent port', () => {
    expect(codeOf('http://10.0.0.21:9999')).toBe('callback-not-sender');
    expect(codeOf('http://10.0.0.21:9999', { clientAddress: '10.0.0.21' })).toBe('callback-not-leased');
    expect(codeOf('http://10.0.0.20:22')).toBe('callback-port');
    expect(codeOf('http://10.0.0.20')).toBe('callback-port');
    expect(codeOf('http://10.0.0.5:9999', { clientAddress: '10.0.0.5' })).toBe('callback-to-ironic');
  });

  it('refuses names, user information, paths, other schemes and non-strings', () => {
    expect(codeOf('http://localhost:9999')).toBe('bad-callback-url');
    expect(codeOf('http://a@10.0.0.20:9999')).toBe('bad-callback-url');
    expect(codeOf('http://a:b@10.0.0.20:9999')).toBe('bad-callback-url');
    expect(codeOf('http://10.0.0.20:9999/v1/nodes')).toBe('bad-callback-url');
    expect(codeOf('http://10.0.0.20:9999/?x=1')).toBe('bad-callback-url');
    expect(codeOf('file:///etc/passwd')).toBe('bad-callback-url');
    expect(codeOf('http://0x0a000014:9999')).toBe('ok'); // the URL parser canonicalises it to 10.0.0.20
    expect(codeOf(42)).toBe('bad-callback-url');
    expect(rewriteHeartbeat([], context)).toMatchObject({ ok: false, code: 'bad-heartbeat' });
  });
});
