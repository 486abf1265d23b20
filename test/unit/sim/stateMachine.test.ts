import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { reconcile } from '../../../sim/reconcile.js';
import { SimConfig } from '../../../sim/settings.js';
import { nextState } from '../../../sim/stateMachine.js';

const config = SimConfig.parse({
  defaultDelayMs: 1000,
  hardware: { cpuCount: 16, ramMebibytes: 65536, diskGibibytes: 100 },
});
const t0 = new Date('2026-01-01T00:00:00Z');
const b64 = (text: string) => Buffer.from(text).toString('base64');
/** The host's BMC Secret as BMO leaves it once taken (test/unit/sim/reconcile.test.ts covers the taking). */
const bmcSecret: V1Secret = {
  metadata: {
    name: 'h1-bmc',
    namespace: 'ns',
    resourceVersion: '1',
    labels: { 'environment.metal3.io': 'baremetal' },
    finalizers: ['baremetalhost.metal3.io/secret'],
    ownerReferences: [{ apiVersion: 'metal3.io/v1alpha1', kind: 'BareMetalHost', name: 'h1', uid: 'uid-1' }],
  },
  data: { username: b64('admin'), password: b64('secret') },
};

function newHost(annotations: Record<string, string> = {}): BareMetalHost {
  return {
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name: 'h1', namespace: 'ns', uid: 'uid-1', annotations },
    spec: {
      bmc: { address: 'redfish://x', credentialsName: 'h1-bmc' },
      bootMACAddress: '02:00:00:00:00:01',
      online: false,
    },
  };
}

/** Applies the simulator's writes until the host settles, advancing the clock by each requested delay. */
function run(host: BareMetalHost, start: Date, maxSteps = 50): { host: BareMetalHost; now: Date; states: string[] } {
  let now = start;
  const states: string[] = [];
  for (let i = 0; i < maxSteps; i++) {
    const t = reconcile(host, bmcSecret, now, config);
    if (t.secret) throw new Error('the Secret is taken already');
    if (t.host) {
      host = { ...t.host, status: host.status };
    } else if (t.status) {
      host = { ...host, status: t.status };
      const state = t.status.provisioning?.state ?? '';
      if (states.at(-1) !== state) states.push(state);
    } else if (t.requeueAfterMs !== undefined) {
      now = new Date(now.getTime() + t.requeueAfterMs);
    } else {
      return { host, now, states };
    }
  }
  return { host, now, states };
}

function state(host: BareMetalHost) {
  return host.status?.provisioning?.state;
}

describe('simulator state machine', () => {
  it('registers, inspects and prepares a new host into available with the inventory', () => {
    const { host, now, states } = run(newHost({ 'sim.metal3-provider/cpu-count': '64' }), t0);
    expect(states).toEqual(['registering', 'inspecting', 'preparing', 'available']);
    expect(now.getTime() - t0.getTime()).toBe(3000);
    expect(host.status).toMatchObject({
      operationalStatus: 'OK',
      errorCount: 0,
      poweredOn: false,
      hardware: {
        cpu: { count: 64 },
        ramMebibytes: 65536,
        nics: [{ mac: '02:00:00:00:00:01', pxe: true }],
        storage: [{ sizeBytes: 100 * 2 ** 30 }],
      },
    });
  });

  it('waits for the step delay, measured from lastUpdated', () => {
    const host = newHost();
    host.status = { provisioning: { state: 'inspecting' }, lastUpdated: t0.toISOString() };
    expect(nextState(host, new Date(t0.getTime() + 400), config)).toEqual({ requeueAfterMs: 600 });
    expect(nextState(host, new Date(t0.getTime() + 1000), config).status?.provisioning?.state).toBe('preparing');
  });

  it('ignores an image while online is false, as BMO does', () => {
    const settled = run(newHost(), t0);
    const now = settled.now;
    let host = { ...settled.host, spec: { ...settled.host.spec, image: { url: 'http://i/u.qcow2' }, online: false } };
    const later = new Date(now.getTime() + 3_600_000);
    expect(nextState(host, later, config)).toEqual({});
    host = { ...host, spec: { ...host.spec, online: true } };
    // BMO records the image in status once it is written, not when provisioning starts.
    expect(nextState(host, later, config).status?.provisioning).toMatchObject({
      state: 'provisioning',
      image: { url: '' },
    });
  });

  it('provisions when online with an image, and deprovisions back to available when the image is removed', () => {
    let { host, now } = run(newHost(), t0);
    host = { ...host, spec: { ...host.spec, image: { url: 'http://i/u.qcow2' }, online: true } };
    ({ host, now } = run(host, now));
    expect(state(host)).toBe('provisioned');
    expect(host.status).toMatchObject({ poweredOn: true, provisioning: { image: { url: 'http://i/u.qcow2' } } });
    const spec = { ...host.spec, online: false };
    delete spec.image;
    const result = run({ ...host, spec }, now);
    expect(result.states).toEqual(['deprovisioning', 'available']);
    expect(result.host.status?.provisioning?.image).toEqual({ url: '' });
    expect(result.host.status?.poweredOn).toBe(false);
  });

  it('fails provisioning N times, deprovisioning after each failure, then succeeds', () => {
    let { host, now } = run(newHost({ 'sim.metal3-provider/fail-provisioning': '2' }), t0);
    host = { ...host, spec: { ...host.spec, image: { url: 'http://i/u.qcow2' }, online: true } };
    const errors: string[] = [];
    let states: string[] = [];
    for (let i = 0; i < 40 && state(host) !== 'provisioned'; i++) {
      const t = nextState(host, now, config);
      if (t.status) {
        if (t.status.errorType && t.status.errorType !== host.status?.errorType) errors.push(t.status.errorType);
        host = { ...host, status: t.status };
        states = [...states, state(host) ?? ''];
      } else now = new Date(now.getTime() + (t.requeueAfterMs ?? 0));
    }
    expect(errors).toEqual(['provisioning error', 'provisioning error']);
    expect(states.filter((s) => s === 'deprovisioning')).toHaveLength(2);
    expect(state(host)).toBe('provisioned');
    expect(host.status?.errorType).toBeUndefined();
  });

  it('reports a power management error when the BMC fails to power the host', () => {
    let { host, now } = run(newHost({ 'sim.metal3-provider/fail-power': 'true' }), t0);
    host = { ...host, spec: { ...host.spec, image: { url: 'http://i/u.qcow2' }, online: true } };
    ({ host, now } = run(host, now, 3));
    expect(host.status).toMatchObject({
      errorType: 'power management error',
      operationalStatus: 'error',
      errorCount: 1,
    });
  });

  it('reports registration errors while the BMC is unreachable and recovers after', () => {
    let { host } = run(newHost({ 'sim.metal3-provider/fail-registration': 'true' }), t0);
    expect(host.status).toMatchObject({ errorType: 'registration error', provisioning: { state: 'registering' } });
    host = { ...host, metadata: { ...host.metadata, annotations: {} } };
    ({ host } = run(host, new Date(t0.getTime() + 10_000)));
    expect(state(host)).toBe('available');
    expect(host.status?.errorType).toBeUndefined();
  });

  it('stops in inspecting or preparing with the matching error', () => {
    expect(run(newHost({ 'sim.metal3-provider/fail-inspection': 'true' }), t0).host.status).toMatchObject({
      errorType: 'inspection error',
      provisioning: { state: 'inspecting' },
    });
    expect(run(newHost({ 'sim.metal3-provider/fail-preparation': 'true' }), t0).host.status).toMatchObject({
      errorType: 'preparation error',
      provisioning: { state: 'preparing' },
    });
  });

  it('hangs in the configured state', () => {
    const { host } = run(newHost({ 'sim.metal3-provider/hang': 'inspecting' }), t0);
    expect(state(host)).toBe('inspecting');
  });

  it('leaves paused hosts alone and marks detached ones', () => {
    const { host } = run(newHost(), t0);
    const paused = {
      ...host,
      metadata: { ...host.metadata, annotations: { 'baremetalhost.metal3.io/paused': '' } },
      spec: { ...host.spec, online: true },
    };
    expect(nextState(paused, t0, config)).toEqual({});
    const detached = {
      ...host,
      metadata: { ...host.metadata, annotations: { 'baremetalhost.metal3.io/detached': '' } },
    };
    const t = nextState(detached, t0, config);
    expect(t.status?.operationalStatus).toBe('detached');
    expect(nextState({ ...detached, status: t.status }, t0, config)).toEqual({});
    expect(nextState({ ...host, status: t.status }, t0, config).status?.operationalStatus).toBe('OK');
  });

  it('keeps the power state equal to online in available', () => {
    const { host, now } = run(newHost(), t0);
    const online = { ...host, spec: { ...host.spec, online: true } };
    expect(run(online, now).host.status?.poweredOn).toBe(true);
  });

  it('takes per-step delays from annotations over the global config', () => {
    const { now } = run(
      newHost({ 'sim.metal3-provider/delay-ms': '10', 'sim.metal3-provider/delay-inspecting-ms': '500' }),
      t0,
    );
    expect(now.getTime() - t0.getTime()).toBe(520);
  });
});
