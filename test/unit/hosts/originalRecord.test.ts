import { describe, expect, it } from 'vitest';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import {
  configuredHost,
  imageFormatFromUrl,
  releasedHost,
  withAnnotations,
} from '../../../activities/hosts/hostChanges.js';
import { isConsumedBy } from '../../../activities/hosts/consumerRef.js';
import {
  ORIGINAL_ANNOTATION,
  claimedHost,
  readOriginal,
  restoredHost,
} from '../../../activities/hosts/originalRecord.js';
import { leaseAnnotations } from '../../../ipam/lease.js';
import { availableHost } from './hostFixture.js';

const machine = { namespace: 'team-a', name: 'm1', uid: 'u1' };

function lifecycle(original: BareMetalHost): BareMetalHost {
  const claimed = claimedHost(original, machine);
  const configured =
    configuredHost(claimed, {
      image: { url: 'http://images/ubuntu.qcow2', checksum: 'abc', checksumType: 'sha256', format: 'qcow2' },
      userData: 'm1-user-data',
      networkData: 'm1-network-data',
      metaData: 'm1-meta-data',
      networkAnnotations: {
        'metal3.vcluster.com/ip-address': '10.0.0.5/24',
        'metal3.vcluster.com/gateway': '10.0.0.1',
      },
    }) ?? claimed;
  const released = releasedHost(configured) ?? configured;
  return restoredHost(released);
}

describe('claim record and restore', () => {
  it('claims with consumerRef to the NodeClaim and a record of the original', () => {
    const claimed = claimedHost(availableHost('h'), machine);
    expect(claimed.spec.consumerRef).toEqual({
      apiVersion: 'management.loft.sh/v1',
      kind: 'NodeClaim',
      name: 'm1',
      namespace: 'team-a',
      uid: 'u1',
    });
    expect(isConsumedBy(claimed, machine)).toBe(true);
    expect(readOriginal(claimed)).toEqual({ labels: { role: 'compute' }, spec: { online: false } });
  });

  it('restores a plain host exactly after configure and release', () => {
    const original = availableHost('h');
    expect(lifecycle(original)).toEqual(original);
  });

  it('restores every recorded field an operator had set, and removes what we added', () => {
    const original = availableHost('h', {
      labels: { role: 'compute', team: 'x' },
      annotations: { note: 'keep me', 'metal3.vcluster.com/ip-address': '192.168.1.9/24' },
      spec: {
        online: true,
        image: { url: 'http://old/image.raw' },
        customDeploy: { method: 'install_coreos' },
        automatedCleaningMode: 'disabled',
        userData: { name: 'operator-ud', namespace: 'metal3-system' },
      },
    });
    expect(lifecycle(original)).toEqual(original);
  });

  it('keeps changes to fields it does not record, such as a new BMC address', () => {
    const claimed = claimedHost(availableHost('h'), machine);
    claimed.spec.bmc = { address: 'redfish://10.9.9.9', credentialsName: 'new' };
    expect(restoredHost(claimed).spec.bmc).toEqual({ address: 'redfish://10.9.9.9', credentialsName: 'new' });
  });

  it('without a readable record clears only the consumer and the broken record', () => {
    const claimed = claimedHost(availableHost('h'), machine);
    claimed.metadata.annotations = { [ORIGINAL_ANNOTATION]: '{not json' };
    const restored = restoredHost(claimed);
    expect(restored.spec.consumerRef).toBeUndefined();
    expect(restored.metadata.annotations).toEqual({});
  });
});

describe('configure and release', () => {
  it('configures image, data Secrets in the host namespace and online, idempotently', () => {
    const claimed = claimedHost(availableHost('h', { spec: { customDeploy: { method: 'x' } } }), machine);
    const config = {
      image: { url: 'http://i/u.img', checksum: 'c' },
      userData: 'ud',
      networkAnnotations: { 'metal3.vcluster.com/dns-servers': '1.1.1.1' },
    };
    const configured = configuredHost(claimed, config);
    expect(configured?.spec).toMatchObject({
      image: { url: 'http://i/u.img', checksum: 'c' },
      userData: { name: 'ud', namespace: 'metal3-system' },
      online: true,
    });
    expect(configured?.spec.customDeploy).toBeUndefined();
    expect(configured?.metadata.annotations?.['metal3.vcluster.com/dns-servers']).toBe('1.1.1.1');
    expect(configured && configuredHost(configured, config)).toBeUndefined();
  });

  it('writes the lease annotations with the image, dropping servers of an earlier lease that this one lacks', () => {
    const claimed = claimedHost(
      availableHost('h', { annotations: { 'metal3.vcluster.com/ntp-servers': '10.9.9.9', note: 'kept' } }),
      machine,
    );
    const lease = { address: '10.0.0.5', prefix: 24, gateway: '10.0.0.1', dnsServers: ['10.0.0.2'], ntpServers: [] };
    const config = { image: { url: 'http://i' }, networkAnnotations: leaseAnnotations(lease) };
    const configured = configuredHost(claimed, config);
    expect(configured?.metadata.annotations).toMatchObject({
      'metal3.vcluster.com/ip-address': '10.0.0.5/24',
      'metal3.vcluster.com/gateway': '10.0.0.1',
      'metal3.vcluster.com/dns-servers': '10.0.0.2',
      note: 'kept',
    });
    expect(configured?.metadata.annotations).not.toHaveProperty('metal3.vcluster.com/ntp-servers');
    expect(configured && configuredHost(configured, config)).toBeUndefined();
    // A host configured but for the lease is written again.
    const unleased = configured && withAnnotations(configured, { 'metal3.vcluster.com/ip-address': null });
    expect(unleased && configuredHost(unleased, config)).toEqual(configured);
  });

  it('release clears image and data and powers off; a released host needs no second release', () => {
    const configured = configuredHost(claimedHost(availableHost('h'), machine), {
      image: { url: 'http://i' },
      userData: 'ud',
    });
    const released = configured && releasedHost(configured);
    expect(released?.spec.image).toBeUndefined();
    expect(released?.spec.userData).toBeUndefined();
    expect(released?.spec.online).toBe(false);
    expect(released?.spec.consumerRef).toBeDefined();
    expect(released && releasedHost(released)).toBeUndefined();
  });

  it('derives the image format only from unambiguous extensions', () => {
    expect(imageFormatFromUrl('http://x/a.qcow2?sig=1')).toBe('qcow2');
    expect(imageFormatFromUrl('http://x/a.RAW')).toBe('raw');
    expect(imageFormatFromUrl('http://x/noble-server-cloudimg-amd64.img')).toBeUndefined();
  });
});
