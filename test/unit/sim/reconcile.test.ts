import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { reconcile } from '../../../sim/reconcile.js';
import { SimConfig } from '../../../sim/settings.js';

const config = SimConfig.parse({ defaultDelayMs: 100, errorRetryMs: 1000 });
const t0 = new Date('2026-01-01T00:00:00Z');
const b64 = (text: string) => Buffer.from(text).toString('base64');

function newHost(): BareMetalHost {
  return {
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name: 'h1', namespace: 'ns', uid: 'uid-1', finalizers: ['example.com/keep'] },
    spec: { bmc: { address: 'redfish://x', credentialsName: 'h1-bmc' }, online: false },
  };
}

function newSecret(): V1Secret {
  return {
    metadata: { name: 'h1-bmc', namespace: 'ns', resourceVersion: '7' },
    data: { username: b64('admin'), password: b64('secret') },
  };
}

interface World {
  host: BareMetalHost | undefined;
  secret: V1Secret | undefined;
  now: Date;
  states: string[];
  writes: string[];
}

/** Plays the controller loop against a tiny in-memory API server until nothing is due or `until` holds. */
function play(world: World, until: (w: World) => boolean = () => false, maxSteps = 200): World {
  for (let i = 0; i < maxSteps && world.host && !until(world); i++) {
    const host: BareMetalHost = world.host;
    const action = reconcile(host, world.secret, world.now, config);
    if (action.host) {
      world.writes.push('host');
      const finalizers = (action.host.metadata.finalizers as string[] | undefined) ?? [];
      // The API server deletes an object being deleted once its last finalizer is gone.
      world.host = host.metadata.deletionTimestamp && finalizers.length === 0 ? undefined : action.host;
    } else if (action.secret) {
      world.writes.push('secret');
      world.secret = action.secret;
    } else if (action.status) {
      world.writes.push('status');
      world.host = { ...host, status: action.status };
      const state = action.status.provisioning?.state ?? '';
      if (world.states.at(-1) !== state) world.states.push(state);
    } else if (action.requeueAfterMs !== undefined) {
      world.now = new Date(world.now.getTime() + action.requeueAfterMs);
    } else break;
  }
  return world;
}

const finalizersOf = (object: { metadata?: object } | undefined) =>
  (object?.metadata as { finalizers?: string[] } | undefined)?.finalizers;

describe('simulator reconcile: what BMO does around its state machine', () => {
  it('adds its finalizer first, then takes the BMC Secret: label, owner reference, finalizer', () => {
    const world = play({ host: newHost(), secret: newSecret(), now: t0, states: [], writes: [] });
    expect(world.writes.slice(0, 3)).toEqual(['host', 'status', 'secret']);
    expect(finalizersOf(world.host)).toEqual(['example.com/keep', 'baremetalhost.metal3.io']);
    expect(world.secret?.metadata).toMatchObject({
      labels: { 'environment.metal3.io': 'baremetal' },
      finalizers: ['baremetalhost.metal3.io/secret'],
      ownerReferences: [{ apiVersion: 'metal3.io/v1alpha1', kind: 'BareMetalHost', name: 'h1', uid: 'uid-1' }],
    });
    expect(world.secret?.metadata?.ownerReferences?.[0]?.controller).toBeUndefined();
    expect(world.states).toEqual(['registering', 'inspecting', 'preparing', 'available']);
    expect(world.host?.spec.architecture).toBe('x86_64');
    expect(world.host?.status).toMatchObject({
      errorMessage: '',
      hardwareProfile: 'unknown',
      goodCredentials: { credentials: { name: 'h1-bmc', namespace: 'ns' }, credentialsVersion: '7' },
      provisioning: { image: { url: '' }, rootDeviceHints: { deviceName: '/dev/sda' }, bootMode: 'UEFI' },
    });
  });

  it('stays registering with a rising error count while the Secret is missing, and goes on once it exists', () => {
    const world = play(
      { host: newHost(), secret: undefined, now: t0, states: [], writes: [] },
      (w) => (w.host?.status?.errorCount ?? 0) >= 3,
    );
    expect(world.host?.status).toMatchObject({
      operationalStatus: 'error',
      errorType: 'registration error',
      errorMessage: "BMC CredentialsName secret doesn't exist The BMC secret ns/h1-bmc does not exist",
      provisioning: { state: 'registering' },
    });
    expect(world.now.getTime() - t0.getTime()).toBe(2000);
    world.secret = newSecret();
    play(world);
    expect(world.states.at(-1)).toBe('available');
    expect(world.host?.status).toMatchObject({ operationalStatus: 'OK', errorMessage: '', errorCount: 0 });
    expect(world.host?.status?.errorType).toBeUndefined();
  });

  it('deletes an available host: powering off, deleting, Secret released, its finalizer removed', () => {
    const world = play({ host: newHost(), secret: newSecret(), now: t0, states: [], writes: [] });
    const host = world.host as BareMetalHost;
    world.host = { ...host, metadata: { ...host.metadata, deletionTimestamp: t0.toISOString() } };
    world.states = [];
    play(world);
    expect(world.states).toEqual(['powering off before delete', 'deleting']);
    expect(finalizersOf(world.secret)).toEqual([]);
    expect(world.secret?.metadata?.labels).toEqual({ 'environment.metal3.io': 'baremetal' });
    // Only the foreign finalizer is left, which keeps the host.
    expect(finalizersOf(world.host)).toEqual(['example.com/keep']);
  });

  it('deletes a host that never registered without its Secret', () => {
    const host = newHost();
    host.metadata.finalizers = [];
    const world = play(
      { host, secret: undefined, now: t0, states: [], writes: [] },
      (w) => w.host?.status?.errorType !== undefined,
    );
    const failing = world.host as BareMetalHost;
    world.host = { ...failing, metadata: { ...failing.metadata, deletionTimestamp: t0.toISOString() } };
    play(world);
    expect(world.states).toEqual(['registering', 'deleting']);
    expect(world.host).toBeUndefined();
  });

  it('deprovisions a provisioned host before deleting it', () => {
    const world = play({ host: newHost(), secret: newSecret(), now: t0, states: [], writes: [] });
    const available = world.host as BareMetalHost;
    world.host = { ...available, spec: { ...available.spec, online: true, image: { url: 'http://i/u.qcow2' } } };
    play(world);
    const provisioned = world.host;
    expect(provisioned.status).toMatchObject({ provisioning: { state: 'provisioned' }, poweredOn: true });
    world.host = { ...provisioned, metadata: { ...provisioned.metadata, deletionTimestamp: t0.toISOString() } };
    world.states = [];
    play(world);
    expect(world.states).toEqual(['deprovisioning', 'powering off before delete', 'deleting']);
  });

  it('leaves a paused host alone, deleted or not', () => {
    const host = newHost();
    host.metadata.annotations = { 'baremetalhost.metal3.io/paused': '' };
    expect(reconcile(host, newSecret(), t0, config)).toEqual({});
  });
});
