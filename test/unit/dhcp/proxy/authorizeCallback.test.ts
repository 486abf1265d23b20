import { describe, expect, it } from 'vitest';
import { BareMetalHost } from '../../../../api/bareMetalHost.js';
import {
  REFUSAL_MESSAGES,
  authorizeAgentCall,
  authorizeHeartbeat,
  authorizeInspection,
  authorizeLookup,
} from '../../../../dhcp/proxy/authorizeCallback.js';
import { bootHostFromBareMetalHost, type BootHost } from '../../../../dhcp/hosts/bootHost.js';
import { callbackCallerFromBareMetalHost, type CallbackCaller } from '../../../../dhcp/hosts/callbackCaller.js';

const NODE_B = '0b0b0b0b-0000-4000-8000-00000000000b';
const NODE_A = '0a0a0a0a-0000-4000-8000-00000000000a';
const MAC_B = 'aa:bb:cc:00:00:0b';
const NIC_B = 'aa:bb:cc:00:01:0b';
const MAC_A = 'aa:bb:cc:00:00:0a';
/** A MAC no host has: the answer must not differ from the one for MAC_A. */
const NOBODY = 'aa:bb:cc:00:00:ff';

function caller(status: Record<string, unknown>): CallbackCaller {
  const bmh = BareMetalHost.parse({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name: 'b', namespace: 'ns', annotations: { 'metal3.vcluster.com/ip-address': '10.0.0.21/24' } },
    spec: { bootMACAddress: MAC_B.toUpperCase() },
    status,
  });
  const result = bootHostFromBareMetalHost(bmh);
  if (result.kind !== 'boot') throw new Error('not a boot host');
  return callbackCallerFromBareMetalHost(bmh, result.bootHost);
}

const inspected = caller({
  provisioning: { state: 'provisioning', ID: NODE_B.toUpperCase() },
  hardware: { nics: [{ mac: MAC_B }, { mac: NIC_B.replace(/:/g, '-') }, { name: 'no-mac' }] },
});
const fresh = caller({ provisioning: { state: 'inspecting' } });

describe('callbackCallerFromBareMetalHost', () => {
  it('takes the boot MAC, the inspected NICs and the Ironic node, normalised', () => {
    expect(inspected).toMatchObject({ macs: [MAC_B, NIC_B], nicsKnown: true, nodeUuid: NODE_B });
    expect(fresh).toMatchObject({ macs: [MAC_B], nicsKnown: false, nodeUuid: undefined });
  });
});

describe('authorizeLookup', () => {
  it('passes the caller’s own MACs and node', () => {
    expect(authorizeLookup(inspected, { addresses: `${MAC_B},${NIC_B.toUpperCase()}`, nodeUuid: NODE_B })).toEqual({
      ok: true,
      addresses: `${MAC_B},${NIC_B.toUpperCase()}`,
    });
    expect(authorizeLookup(fresh, { addresses: undefined, nodeUuid: undefined })).toEqual({
      ok: true,
      addresses: undefined,
    });
  });

  it('refuses another host’s MAC exactly as a MAC nobody has, with a message that names neither', () => {
    for (const who of [inspected, fresh]) {
      const other = authorizeLookup(who, { addresses: MAC_A, nodeUuid: undefined });
      const nobody = authorizeLookup(who, { addresses: NOBODY, nodeUuid: undefined });
      expect(other).toMatchObject({ ok: false, status: 403, code: 'lookup-other-mac' });
      expect(nobody).toMatchObject({ ok: false, status: 403, code: 'lookup-other-mac' });
      if (other.ok || nobody.ok) throw new Error('unreachable');
      expect(other.message).toBe(nobody.message);
      expect(other.message).toBe(REFUSAL_MESSAGES.lookup);
      expect(other.message).not.toContain(MAC_A);
      expect(other.detail).toEqual({ caller: 'ns/b', addresses: [MAC_A] });
    }
  });

  it('refuses a foreign MAC beside the caller’s own once inspection listed its NICs; before, leaves it out', () => {
    expect(authorizeLookup(inspected, { addresses: `${MAC_B},${MAC_A}`, nodeUuid: undefined })).toMatchObject({
      ok: false,
      code: 'lookup-other-mac',
    });
    expect(authorizeLookup(fresh, { addresses: `${MAC_A},${MAC_B},${NOBODY}`, nodeUuid: undefined })).toEqual({
      ok: true,
      addresses: MAC_B,
    });
  });

  it('refuses another node, and any node while the caller’s is not known', () => {
    expect(authorizeLookup(inspected, { addresses: MAC_B, nodeUuid: NODE_A })).toMatchObject({
      ok: false,
      code: 'lookup-other-node',
      message: REFUSAL_MESSAGES.lookup,
    });
    expect(authorizeLookup(fresh, { addresses: MAC_B, nodeUuid: NODE_B })).toMatchObject({ ok: false });
    expect(authorizeLookup(fresh, { addresses: MAC_B, nodeUuid: NODE_B }, NODE_B)).toMatchObject({ ok: true });
  });
});

describe('authorizeHeartbeat and authorizeInspection', () => {
  it('pass only the caller’s own node (BMO’s record or what its own lookup returned)', () => {
    expect(authorizeHeartbeat(inspected, NODE_B)).toEqual({ ok: true });
    expect(authorizeHeartbeat(inspected, NODE_B.toUpperCase())).toEqual({ ok: true });
    expect(authorizeHeartbeat(fresh, NODE_B, NODE_B)).toEqual({ ok: true });
    for (const [who, node] of [
      [inspected, NODE_A],
      [fresh, NODE_B],
      [inspected, 'ns~a'],
      [inspected, `${NODE_B}.json`],
    ] as const) {
      expect(authorizeHeartbeat(who, node), node).toEqual({
        ok: false,
        status: 403,
        code: 'heartbeat-other-node',
        message: REFUSAL_MESSAGES.heartbeat,
        detail: { caller: 'ns/b', node },
      });
    }
    expect(authorizeInspection(fresh, undefined)).toEqual({ ok: true });
    expect(authorizeInspection(inspected, NODE_B)).toEqual({ ok: true });
    expect(authorizeInspection(inspected, NODE_A)).toMatchObject({ ok: false, code: 'inspection-other-node' });
  });
});

describe('authorizeAgentCall', () => {
  const hostB = { host: 'ns/b', address: '10.0.0.21' } as BootHost;
  it('lets a caller without a lease (Ironic’s conductor) reach any agent, and a host only its own', () => {
    expect(authorizeAgentCall(undefined, '10.0.0.20')).toEqual({ ok: true });
    expect(authorizeAgentCall(hostB, '10.0.0.21')).toEqual({ ok: true });
    for (const target of ['10.0.0.20', '10.0.0.99', '127.0.0.1']) {
      expect(authorizeAgentCall(hostB, target)).toEqual({
        ok: false,
        status: 403,
        code: 'agent-other-host',
        message: REFUSAL_MESSAGES.agent,
        detail: { caller: 'ns/b', agent: target },
      });
    }
  });
});
