import { describe, expect, it } from 'vitest';
import { LocalClaims } from '../../../activities/hosts/localClaims.js';
import { availableHost } from './hostFixture.js';

const hosts = ['a', 'b', 'c', 'd'].map((name) => availableHost(name));
const names = (list: Iterable<{ metadata: { name: string } }>) => [...list].map((h) => h.metadata.name);

describe('LocalClaims', () => {
  it('tries the hosts other claims of this worker are claiming last, keeping the order of both groups', () => {
    const claims = new LocalClaims(() => 0);
    claims.begin('c');
    claims.begin('a');
    expect(names(claims.order(hosts))).toEqual(['b', 'd', 'a', 'c']);
  });

  it('keeps a finished claim last for a few seconds, until the cache has seen it, then forgets it', () => {
    let now = 1_000;
    const claims = new LocalClaims(() => now);
    const end = claims.begin('a');
    now += 60_000;
    // Still being claimed: held however long the claim takes.
    expect(names(claims.order(hosts))).toEqual(['b', 'c', 'd', 'a']);
    end();
    now += 4_999;
    expect(names(claims.order(hosts))).toEqual(['b', 'c', 'd', 'a']);
    now += 1;
    expect(names(claims.order(hosts))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never drops a candidate: a host held here is still offered', () => {
    const claims = new LocalClaims(() => 0);
    for (const host of hosts) claims.begin(host.metadata.name);
    expect(names(claims.order(hosts))).toEqual(['a', 'b', 'c', 'd']);
  });
});
