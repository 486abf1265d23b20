import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BareMetalHost } from '../../../api/bareMetalHost.js';
import type { Recording } from '../../support/bmoConformance/normalize.js';
import { recordedHost } from '../../support/bmoConformance/recordedHost.js';

// The worker's host cache hands out the informer's own objects once BareMetalHost.parse has accepted them,
// rather than keep parse's copy beside each (k8s/bareMetalHostCache.ts). That is right only while the
// schema checks and changes nothing: no default, no transform, no field dropped.
describe('BareMetalHost.parse', () => {
  const fixtures = new URL('../../fixtures/bmo/', import.meta.url);
  const recordings = readdirSync(fixtures).filter((file) => file.endsWith('.json'));

  it('gives back exactly the host it checked, for every state of every recorded real BMO host', () => {
    let checked = 0;
    for (const file of recordings) {
      const url = new URL(file, fixtures);
      const { host } = JSON.parse(readFileSync(url, 'utf8')) as Recording;
      for (const state of new Set(host.states)) {
        const recorded = recordedHost(url, state);
        expect(BareMetalHost.parse(recorded), `${file}, state "${state}"`).toEqual(recorded);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(recordings.length);
  });

  it('keeps fields it does not know, and adds none the host lacks', () => {
    const host = {
      apiVersion: 'metal3.io/v1alpha1',
      kind: 'BareMetalHost',
      metadata: { name: 'h', annotations: { a: 'b' }, ownerReferences: [{ kind: 'X', name: 'y' }] },
      spec: { online: true, rootDeviceHints: { deviceName: '/dev/sda' }, firmware: { sriovEnabled: true } },
      status: { provisioning: { state: 'available', bootMode: 'UEFI' }, powerStatus: 'on' },
    };
    expect(BareMetalHost.parse(host)).toEqual(host);
    expect(BareMetalHost.parse({ ...host, status: undefined })).toEqual({ ...host, status: undefined });
  });
});
