import { describe, expect, it } from 'vitest';
import { describeExclusions, hostEligibility, selectCandidates } from '../../../activities/hosts/eligibility.js';
import { claimedHost } from '../../../activities/hosts/originalRecord.js';
import { availableHost } from './hostFixture.js';
import type { HostRequest } from '../../../contracts/machineActivityContract.js';

const machine = { namespace: 'team-a', name: 'm1' };
const other = { namespace: 'team-b', name: 'm2' };
const compute: HostRequest = { selector: { matchLabels: { role: 'compute' } } };

describe('selectCandidates', () => {
  it('matches matchLabels and every matchExpressions operator', () => {
    const hosts = [
      availableHost('a', { labels: { role: 'compute', zone: 'east', gpu: 'yes' } }),
      availableHost('b', { labels: { role: 'compute', zone: 'west' } }),
      availableHost('c', { labels: { role: 'compute', zone: 'north' } }),
      availableHost('d', { labels: { role: 'storage', zone: 'east' } }),
    ];
    const request: HostRequest = {
      selector: {
        matchLabels: { role: 'compute' },
        matchExpressions: [
          { key: 'zone', operator: 'In', values: ['east', 'west'] },
          { key: 'zone', operator: 'NotIn', values: ['west'] },
          { key: 'gpu', operator: 'Exists' },
          { key: 'broken', operator: 'DoesNotExist' },
        ],
      },
    };
    const selection = selectCandidates(hosts, request, machine);
    expect(selection.matched).toBe(1);
    expect(selection.candidates.map((h) => h.metadata.name)).toEqual(['a']);
  });

  it('counts every exclusion reason once per host', () => {
    const hosts = [
      availableHost('ok'),
      availableHost('excluded'),
      availableHost('deleting', { deletionTimestamp: '2026-01-01T00:00:00Z' }),
      availableHost('detached', { annotations: { 'baremetalhost.metal3.io/detached': '' } }),
      availableHost('paused', { annotations: { 'baremetalhost.metal3.io/paused': '' } }),
      claimedHost(availableHost('consumed'), other),
      availableHost('error', { status: { errorType: 'power management error', errorMessage: 'BMC down' } }),
      availableHost('inspecting', { status: { provisioning: { state: 'inspecting' } } }),
      availableHost('provisioned', { status: { provisioning: { state: 'provisioned' } } }),
      availableHost('small', { cpu: 4 }),
      availableHost('other-type', { labels: { role: 'storage' } }),
    ];
    const request: HostRequest = { ...compute, resources: { cpu: '16' }, excludedHosts: ['excluded'] };
    const selection = selectCandidates(hosts, request, machine);
    expect(selection.candidates.map((h) => h.metadata.name)).toEqual(['ok']);
    expect(selection.matched).toBe(10);
    expect(selection.excluded).toEqual({
      excluded: 1,
      deleting: 1,
      detached: 1,
      paused: 1,
      consumed: 1,
      inError: 1,
      notAvailable: 2,
      insufficientResources: 1,
    });
    expect(describeExclusions(selection.excluded)).toContain('1 consumed by another Machine');
  });

  it('accepts the deprecated ready state', () => {
    const hosts = [availableHost('r', { status: { provisioning: { state: 'ready' } } })];
    expect(selectCandidates(hosts, compute, machine).candidates).toHaveLength(1);
  });

  it('returns a host this Machine already consumes instead of a new candidate', () => {
    const hosts = [availableHost('free'), claimedHost(availableHost('mine'), machine)];
    const selection = selectCandidates(hosts, compute, machine);
    expect(selection.ours?.metadata.name).toBe('mine');
  });

  it('treats a consumer of the same name but another uid as another Machine', () => {
    const mine = claimedHost(availableHost('h'), { ...machine, uid: 'old' });
    const selection = selectCandidates([mine], compute, { ...machine, uid: 'new' });
    expect(selection.ours).toBeUndefined();
    expect(selection.excluded).toEqual({ consumed: 1 });
  });
});

describe('resource fit', () => {
  const fits = (resources: HostRequest['resources'], host = availableHost('h')) =>
    hostEligibility(host, { ...compute, resources }, machine);

  it('compares cpu with cpu.count and memory with ramMebibytes, as quantities', () => {
    expect(fits({ cpu: '32', memory: '128Gi' }).eligible).toBe(true);
    expect(fits({ cpu: '32500m' })).toMatchObject({
      eligible: false,
      reason: 'insufficientResources',
      detail: expect.stringContaining('cpu 32 available') as string,
    });
    expect(fits({ memory: '129Gi' })).toMatchObject({
      eligible: false,
      detail: expect.stringContaining('memory 131072Mi available, 129Gi requested') as string,
    });
    expect(fits({ memory: '137438953472' }).eligible).toBe(true);
  });

  it('reads extended resources from the capacity annotation or label', () => {
    const viaAnnotation = availableHost('a', { annotations: { 'capacity.metal3-provider.io/nvidia.com_gpu': '4' } });
    const viaLabel = availableHost('l', {
      labels: { role: 'compute', 'capacity.metal3-provider.io/nvidia.com_gpu': '2' },
    });
    expect(fits({ 'nvidia.com/gpu': '4' }, viaAnnotation).eligible).toBe(true);
    expect(fits({ 'nvidia.com/gpu': '4' }, viaLabel)).toMatchObject({
      eligible: false,
      detail: expect.stringContaining('nvidia.com/gpu 2 available') as string,
    });
    expect(fits({ 'nvidia.com/gpu': '1' }, availableHost('none')).eligible).toBe(false);
  });

  it('compares ephemeral-storage with the sum of the disks', () => {
    const host = availableHost('d', {
      status: {
        hardware: {
          cpu: { count: 8 },
          ramMebibytes: 1024,
          storage: [{ sizeBytes: 2 ** 30 * 100 }, { sizeBytes: 2 ** 30 * 100 }],
        },
      },
    });
    expect(fits({ 'ephemeral-storage': '200Gi' }, host).eligible).toBe(true);
    expect(fits({ 'ephemeral-storage': '201Gi' }, host).eligible).toBe(false);
  });

  it('weighs a new version of a host by its own inventory, and one request against many hosts alike', () => {
    const small = availableHost('h', { cpu: 8 });
    const request = { cpu: '16' };
    expect(fits(request, small).eligible).toBe(false);
    // The cache hands out a new object for each version of a host: an upgraded host fits at once.
    const upgraded = { ...small, status: { ...small.status, hardware: { cpu: { count: 16 }, ramMebibytes: 1024 } } };
    expect(fits(request, upgraded).eligible).toBe(true);
    expect(fits(request, small).eligible).toBe(false);
    const hosts = [availableHost('a', { cpu: 4 }), availableHost('b', { cpu: 64 }), availableHost('c', { cpu: 16 })];
    const selection = selectCandidates(hosts, { ...compute, resources: request }, machine);
    expect(selection.candidates.map((host) => host.metadata.name)).toEqual(['b', 'c']);
    expect(selection.excluded).toEqual({ insufficientResources: 1 });
  });

  it('reports a host without inventory as too small rather than fitting', () => {
    const host = availableHost('bare', { status: { hardware: undefined } });
    expect(fits({ cpu: '1' }, host)).toMatchObject({ eligible: false, reason: 'insufficientResources' });
    expect(fits(undefined, host).eligible).toBe(true);
  });
});

describe('hostEligibility for a host held by another Machine', () => {
  it("names the consumer only to a claim from the consumer's own namespace", () => {
    const host = claimedHost(availableHost('held'), other);
    expect(hostEligibility(host, compute, machine)).toEqual({
      eligible: false,
      reason: 'consumed',
      detail: 'consumed by a Machine of another namespace',
    });
    const sameNamespace = hostEligibility(host, compute, { namespace: 'team-b', name: 'm3' });
    expect(sameNamespace.eligible || sameNamespace.detail).toContain('team-b/m2');
  });
});
