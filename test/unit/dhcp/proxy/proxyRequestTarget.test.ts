import { describe, expect, it } from 'vitest';
import { BareMetalHost } from '../../../../api/bareMetalHost.js';
import { endToEndHeaders, pickHeaders } from '../../../../dhcp/proxy/forwardHttp.js';
import { LeaseAddressIndex } from '../../../../dhcp/hosts/leaseAddressIndex.js';
import { parseRequestTarget } from '../../../../dhcp/proxy/requestTarget.js';

function codeOf(target: string | undefined): string {
  const result = parseRequestTarget(target);
  return result.ok ? 'ok' : result.refusal.code;
}

describe('parseRequestTarget', () => {
  it('accepts plain paths and keeps them as received', () => {
    expect(parseRequestTarget('/images/ironic-python-agent.kernel?x=1')).toEqual({
      ok: true,
      target: {
        path: '/images/ironic-python-agent.kernel',
        segments: ['images', 'ironic-python-agent.kernel'],
        query: 'x=1',
      },
    });
    expect(parseRequestTarget('/images/a%20b.img')).toMatchObject({
      ok: true,
      target: { segments: ['images', 'a b.img'] },
    });
    expect(codeOf('/')).toBe('ok');
    expect(codeOf('/v1/commands/')).toBe('ok');
  });

  it('refuses targets that are not origin-form', () => {
    expect(codeOf('http://evil/')).toBe('not-origin-form');
    expect(codeOf('evil:443')).toBe('not-origin-form');
    expect(codeOf('*')).toBe('not-origin-form');
    expect(codeOf('//evil/x')).toBe('not-origin-form');
    expect(codeOf('')).toBe('empty-target');
    expect(codeOf(undefined)).toBe('empty-target');
  });

  it('refuses dot segments however they are spelled', () => {
    for (const target of ['/a/../b', '/a/./b', '/a/%2e%2e/b', '/a/.%2E/b', '/a/%2E./b', '/..', '/a/%2e'])
      expect(codeOf(target), target).toBe('dot-segment');
  });

  it('refuses encoded separators, double encoding, backslashes, empty segments and control characters', () => {
    expect(codeOf('/a%2fb')).toBe('encoded-separator');
    expect(codeOf('/a%5Cb')).toBe('encoded-separator');
    expect(codeOf('/a/%252e%252e/b')).toBe('double-encoding');
    expect(codeOf('/a\\..\\b')).toBe('backslash');
    expect(codeOf('/a//b')).toBe('empty-segment');
    expect(codeOf('/a%0d%0aHost:%20evil')).toBe('control-character');
    expect(codeOf('/a%00')).toBe('control-character');
    expect(codeOf('/a b')).toBe('control-character');
    expect(codeOf('/a%zz')).toBe('bad-encoding');
    expect(codeOf('/a#frag')).toBe('fragment');
  });
});

describe('header filtering', () => {
  it('sends only the allowed request headers, never hop-by-hop ones', () => {
    expect(
      pickHeaders(
        { range: 'bytes=0-1', host: 'evil', connection: 'close', te: 'trailers', cookie: 'a', 'user-agent': 'iPXE' },
        ['range', 'user-agent', 'te', 'connection'],
      ),
    ).toEqual({ range: 'bytes=0-1', 'user-agent': 'iPXE' });
  });

  it('drops hop-by-hop response headers, including those named in Connection', () => {
    expect(
      endToEndHeaders({
        'content-type': 'x',
        'content-range': 'bytes 0-1/2',
        connection: 'keep-alive, X-Secret',
        'x-secret': '1',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        upgrade: 'h2c',
      }),
    ).toEqual({ 'content-type': 'x', 'content-range': 'bytes 0-1/2' });
  });
});

describe('LeaseAddressIndex', () => {
  const bmh = (name: string, mac: string, cidr: string | undefined): BareMetalHost =>
    BareMetalHost.parse({
      apiVersion: 'metal3.io/v1alpha1',
      kind: 'BareMetalHost',
      metadata: {
        name,
        namespace: 'ns',
        annotations: cidr === undefined ? {} : { 'metal3.vcluster.com/ip-address': cidr },
      },
      spec: { bootMACAddress: mac },
    });

  it('finds hosts by lease address and follows changes and removals', () => {
    const index = new LeaseAddressIndex();
    index.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', '10.0.0.20/24'));
    expect(index.byAddress('10.0.0.20')?.host).toBe('ns/a');
    expect(index.byMac('aa:bb:cc:dd:ee:01')?.address).toBe('10.0.0.20');
    index.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', '10.0.0.21/24'));
    expect(index.byAddress('10.0.0.20')).toBeUndefined();
    expect(index.byAddress('10.0.0.21')?.host).toBe('ns/a');
    index.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', undefined));
    expect(index.byAddress('10.0.0.21')).toBeUndefined();
    index.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', '10.0.0.21/24'));
    index.removeBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', '10.0.0.21/24'));
    expect(index.byAddress('10.0.0.21')).toBeUndefined();
  });

  it('trusts no host with an address two hosts claim', () => {
    const index = new LeaseAddressIndex();
    index.updateFromBareMetalHost(bmh('a', 'aa:bb:cc:dd:ee:01', '10.0.0.20/24'));
    index.updateFromBareMetalHost(bmh('b', 'aa:bb:cc:dd:ee:02', '10.0.0.20/24'));
    expect(index.byAddress('10.0.0.20')).toBeUndefined();
  });
});
