import { describe, expect, it } from 'vitest';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { claimedHost } from '../../../activities/hosts/originalRecord.js';
import { writeMachineData, type WriteMachineDataDeps } from '../../../activities/machine/writeMachineData.js';
import { IP_ADDRESS_ANNOTATION, leaseAnnotations, type Lease } from '../../../ipam/lease.js';
import type { BareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import type { SecretApi } from '../../../k8s/secrets.js';
import type { MachineRenderInput } from '../../../render/renderSpec.js';
import { buildRenderSpec } from '../../../render/renderSpec.js';
import { availableHost } from '../hosts/hostFixture.js';
import { effectiveOf, nodeClaim } from '../render/fixtures.js';

const machine = { namespace: 'team-a', name: 'worker-7', uid: 'u7' };
const lease: Lease = { address: '10.0.0.5', prefix: 24, gateway: '10.0.0.1', dnsServers: ['10.0.0.2'], ntpServers: [] };
const spec = buildRenderSpec({
  claim: nodeClaim('worker-7'),
  effective: effectiveOf({}),
  sshKeys: [],
  registrationCommands: [],
  userDataSource: { kind: 'generated' },
  networkDataSource: { kind: 'generated', dnsServers: [], ntpServers: [], reservedAddresses: [] },
  templates: {},
});

const withLease = (host: BareMetalHost, value: Lease): BareMetalHost => {
  const written = Object.fromEntries(
    Object.entries(leaseAnnotations(value)).filter((e): e is [string, string] => e[1] !== null),
  );
  return { ...host, metadata: { ...host.metadata, annotations: { ...host.metadata.annotations, ...written } } };
};
const label = (host: BareMetalHost, source: string): BareMetalHost => ({
  ...host,
  metadata: { ...host.metadata, labels: { source } },
});

/** Renders against a server whose host is `onServer` and a cache holding `cached`; tells which the render saw. */
async function renderedFrom(cached: BareMetalHost | undefined, onServer: BareMetalHost, input: { lease?: Lease }) {
  let reads = 0;
  let rendered: BareMetalHost | undefined;
  const deps: WriteMachineDataDeps = {
    hosts: {
      namespace: 'hosts',
      get: () => {
        reads++;
        return Promise.resolve(onServer);
      },
    } as unknown as BareMetalHostApi,
    secrets: {
      namespace: 'hosts',
      read: () => Promise.resolve({ labels: {}, data: { renderSpec: JSON.stringify(spec) } }),
    } as unknown as SecretApi,
    secretActivities: { writeMachineSecrets: () => Promise.resolve({ userData: 'u', metaData: 'm' }) },
    render: (renderInput: MachineRenderInput) => {
      rendered = renderInput.bareMetalHost;
      return Promise.resolve({ userData: 'u', metaData: 'm' });
    },
    hostCache: { latest: () => cached },
  };
  await writeMachineData(deps, { machine, host: 'h', snapshotSecret: 'snapshot', ...input });
  const annotations = rendered?.metadata.annotations ?? {};
  return { reads, source: rendered?.metadata.labels?.source, leased: annotations[IP_ADDRESS_ANNOTATION] ?? null };
}

describe('the host the Machine data is rendered with', () => {
  const claimed = claimedHost(availableHost('h'), machine);
  const server = label(claimed, 'server');

  it('comes from the cache when the cache shows this Machine’s claim, with or without a lease on it', async () => {
    const leased = { reads: 0, source: 'cache', leased: '10.0.0.5/24' };
    expect(await renderedFrom(label(claimed, 'cache'), server, { lease })).toEqual(leased);
    expect(await renderedFrom(label(withLease(claimed, lease), 'cache'), server, { lease })).toEqual(leased);
    expect(await renderedFrom(label(claimed, 'cache'), server, {})).toEqual({
      reads: 0,
      source: 'cache',
      leased: null,
    });
  });

  it('carries this lease’s annotations, as the configure step writes them, over any other lease', async () => {
    const otherLease = label(withLease(claimed, { ...lease, address: '10.0.0.9', dnsServers: [] }), 'cache');
    expect(await renderedFrom(otherLease, server, { lease })).toEqual({
      reads: 0,
      source: 'cache',
      leased: '10.0.0.5/24',
    });
  });

  it('is read from the server when the cache is behind the claim or has no host', async () => {
    const beforeClaim = label(withLease(availableHost('h'), lease), 'cache');
    for (const cached of [beforeClaim, undefined]) {
      expect(await renderedFrom(cached, server, { lease })).toEqual({
        reads: 1,
        source: 'server',
        leased: '10.0.0.5/24',
      });
    }
  });
});
