import { describe, expect, it } from 'vitest';
import { BareMetalHost } from '../../../../api/bareMetalHost.js';
import { BODY_LIMITS, routeCallbackRequest, type RouteContext } from '../../../../dhcp/proxy/callbackRoutes.js';
import { LeaseAddressIndex } from '../../../../dhcp/hosts/leaseAddressIndex.js';

const UUID = '8a1c2d3e-0000-4000-8000-0000000000aa';
const OTHER_UUID = '8a1c2d3e-0000-4000-8000-0000000000bb';
const hosts = new LeaseAddressIndex();
hosts.updateFromBareMetalHost(
  BareMetalHost.parse({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name: 'a', namespace: 'ns', annotations: { 'metal3.vcluster.com/ip-address': '10.0.0.20/24' } },
    spec: { bootMACAddress: 'aa:bb:cc:dd:ee:01' },
    status: {
      provisioning: { state: 'inspecting', ID: UUID },
      hardware: { nics: [{ mac: 'aa:bb:cc:dd:ee:01' }, { mac: 'AA:BB:CC:DD:EE:02' }] },
    },
  }),
);
hosts.updateFromBareMetalHost(
  BareMetalHost.parse({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name: 'b', namespace: 'ns', annotations: { 'metal3.vcluster.com/ip-address': '10.0.0.21/24' } },
    spec: { bootMACAddress: 'aa:bb:cc:dd:ee:0b' },
    status: { provisioning: { state: 'inspecting', ID: OTHER_UUID } },
  }),
);
const fromAgent: RouteContext = {
  clientAddress: '10.0.0.20',
  hosts,
  agentPort: 9999,
  ironicApiUrl: 'http://ironic.metal3.svc:6385/base',
};
const fromElsewhere: RouteContext = { ...fromAgent, clientAddress: '10.9.9.9' };
const fromHostB: RouteContext = { ...fromAgent, clientAddress: '10.0.0.21' };

function decision(method: string, target: string, context = fromAgent) {
  const route = routeCallbackRequest(method, target, context);
  return route.kind === 'refuse'
    ? { refused: route.status, code: route.code }
    : { kind: route.kind, url: route.url.href, host: route.host.host, maxBodyBytes: route.maxBodyBytes };
}

describe('routeCallbackRequest: what the agent may reach', () => {
  it('forwards version discovery, lookup, heartbeat and continue_inspection to the Ironic API (under its base path)', () => {
    expect(decision('GET', '/')).toMatchObject({ kind: 'ironic', url: 'http://ironic.metal3.svc:6385/base/' });
    expect(decision('GET', `/v1/lookup?addresses=aa:bb:cc:dd:ee:01,aa:bb:cc:dd:ee:02&node_uuid=${UUID}`)).toEqual({
      kind: 'ironic',
      url: `http://ironic.metal3.svc:6385/base/v1/lookup?addresses=aa%3Abb%3Acc%3Add%3Aee%3A01%2Caa%3Abb%3Acc%3Add%3Aee%3A02&node_uuid=${UUID}`,
      host: 'ns/a',
      maxBodyBytes: 0,
    });
    expect(decision('POST', `/v1/heartbeat/${UUID}`)).toEqual({
      kind: 'ironic',
      url: `http://ironic.metal3.svc:6385/base/v1/heartbeat/${UUID}`,
      host: 'ns/a',
      maxBodyBytes: BODY_LIMITS.heartbeat,
    });
    expect(decision('POST', '/v1/continue_inspection')).toMatchObject({
      url: 'http://ironic.metal3.svc:6385/base/v1/continue_inspection',
      maxBodyBytes: BODY_LIMITS.continueInspection,
    });
  });

  it('passes on only the query parameters lookup takes, and refuses malformed ones', () => {
    expect(decision('GET', '/v1/lookup?addresses=aa:bb:cc:dd:ee:01&callback=http://evil/')).toMatchObject({
      url: 'http://ironic.metal3.svc:6385/base/v1/lookup?addresses=aa%3Abb%3Acc%3Add%3Aee%3A01',
    });
    expect(decision('GET', '/v1/lookup?addresses=not-a-mac')).toEqual({ refused: 400, code: 'bad-query' });
    expect(decision('GET', '/v1/lookup?node_uuid=x&node_uuid=y')).toEqual({ refused: 400, code: 'bad-query' });
  });

  it('binds lookups, heartbeats and inspection data to the caller’s own MACs and node', () => {
    const refused = { refused: 403, code: 'lookup-other-mac' };
    expect(decision('GET', '/v1/lookup?addresses=aa:bb:cc:dd:ee:01', fromHostB)).toEqual(refused);
    expect(decision('GET', '/v1/lookup?addresses=aa:bb:cc:dd:ee:0b,aa:bb:cc:dd:ee:01', fromHostB)).toMatchObject({
      url: 'http://ironic.metal3.svc:6385/base/v1/lookup?addresses=aa%3Abb%3Acc%3Add%3Aee%3A0b',
    });
    expect(decision('GET', '/v1/lookup?addresses=aa:bb:cc:dd:ee:01,aa:bb:cc:dd:ee:0b')).toEqual(refused);
    expect(decision('GET', `/v1/lookup?addresses=aa:bb:cc:dd:ee:0b&node_uuid=${UUID}`, fromHostB)).toEqual({
      refused: 403,
      code: 'lookup-other-node',
    });
    expect(decision('POST', `/v1/heartbeat/${UUID}`, fromHostB)).toEqual({
      refused: 403,
      code: 'heartbeat-other-node',
    });
    expect(decision('POST', `/v1/heartbeat/${OTHER_UUID}`, fromHostB)).toMatchObject({ kind: 'ironic', host: 'ns/b' });
    expect(decision('POST', `/v1/continue_inspection?node_uuid=${UUID}`, fromHostB)).toEqual({
      refused: 403,
      code: 'inspection-other-node',
    });
    // What the proxy learnt from the caller's own lookup counts as its node.
    const learnt: RouteContext = { ...fromHostB, learnedNode: () => '8A1C2D3E-0000-4000-8000-0000000000CC' };
    expect(decision('POST', '/v1/heartbeat/8a1c2d3e-0000-4000-8000-0000000000cc', learnt)).toMatchObject({
      kind: 'ironic',
    });
  });

  it('only lets leased hosts call Ironic', () => {
    expect(decision('GET', '/v1/lookup?addresses=aa:bb:cc:dd:ee:01', fromElsewhere)).toEqual({
      refused: 403,
      code: 'unknown-client',
    });
  });

  it('refuses every other path and method', () => {
    expect(decision('GET', '/v1/nodes')).toEqual({ refused: 404, code: 'unknown-path' });
    expect(decision('GET', '/v1/heartbeat/a/b')).toEqual({ refused: 404, code: 'unknown-path' });
    expect(decision('POST', '/v1/lookup')).toEqual({ refused: 405, code: 'method' });
    expect(decision('GET', `/v1/heartbeat/${UUID}`)).toEqual({ refused: 405, code: 'method' });
    expect(decision('CONNECT', 'ironic:6385')).toEqual({ refused: 405, code: 'connect' });
  });
});

describe('routeCallbackRequest: what Ironic may reach', () => {
  it('forwards agent commands to the leased address at the agent port, keeping only wait and agent_token', () => {
    expect(
      decision('POST', '/agent/https/10.0.0.20/v1/commands/?wait=true&agent_token=abc-_=&x=1', fromElsewhere),
    ).toEqual({
      kind: 'agent',
      url: 'https://10.0.0.20:9999/v1/commands/?wait=true&agent_token=abc-_%3D',
      host: 'ns/a',
      maxBodyBytes: BODY_LIMITS.agentCommand,
    });
    expect(decision('GET', '/agent/http/10.0.0.20/v1/commands')).toMatchObject({
      url: 'http://10.0.0.20:9999/v1/commands/',
      maxBodyBytes: 0,
    });
  });

  it('refuses unknown agents, other agent paths, names, ports and schemes', () => {
    expect(decision('GET', '/agent/http/10.0.0.22/v1/commands/', fromElsewhere)).toEqual({
      refused: 404,
      code: 'unknown-agent',
    });
    expect(decision('GET', '/agent/http/10.0.0.20/v1/status')).toEqual({ refused: 404, code: 'unknown-agent-path' });
    expect(decision('GET', '/agent/http/10.0.0.20:22/v1/commands/')).toEqual({ refused: 404, code: 'bad-agent-path' });
    expect(decision('GET', '/agent/http/ironic/v1/commands/')).toEqual({ refused: 404, code: 'bad-agent-path' });
    expect(decision('GET', '/agent/gopher/10.0.0.20/v1/commands/')).toEqual({ refused: 404, code: 'bad-agent-path' });
    expect(decision('GET', '/agent/http/010.0.0.20/v1/commands/')).toEqual({ refused: 404, code: 'bad-agent-path' });
    expect(decision('PUT', '/agent/http/10.0.0.20/v1/commands/')).toEqual({ refused: 405, code: 'method' });
    expect(decision('GET', '/agent/http/10.0.0.20/v1/commands/?wait=maybe')).toEqual({
      refused: 400,
      code: 'bad-query',
    });
  });

  it('lets a leased host reach only its own agent, and tells it nothing about other addresses', () => {
    expect(decision('GET', '/agent/http/10.0.0.21/v1/commands/', fromHostB)).toMatchObject({ kind: 'agent' });
    const refused = { refused: 403, code: 'agent-other-host' };
    expect(decision('GET', '/agent/http/10.0.0.20/v1/commands/', fromHostB)).toEqual(refused);
    expect(decision('POST', '/agent/https/10.0.0.20/v1/commands/', fromHostB)).toEqual(refused);
    expect(decision('GET', '/agent/http/10.0.0.22/v1/commands/', fromHostB)).toEqual(refused);
  });

  it('refuses request targets that are not plain paths', () => {
    expect(decision('GET', 'http://10.0.0.20:9999/v1/commands/')).toEqual({ refused: 400, code: 'not-origin-form' });
    expect(decision('GET', '/agent/http/10.0.0.20/v1/commands/%2e%2e/x')).toEqual({
      refused: 400,
      code: 'dot-segment',
    });
    expect(decision('GET', '/agent/http/10.0.0.20%2fv1/commands/')).toEqual({
      refused: 400,
      code: 'encoded-separator',
    });
    expect(decision('GET', '/agent/http/10.0.0.20/v1/%252e%252e/')).toEqual({ refused: 400, code: 'double-encoding' });
  });
});
