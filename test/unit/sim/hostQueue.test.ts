import { describe, expect, it } from 'vitest';
import { HostQueue } from '../../../sim/hostQueue.js';

describe('HostQueue: which hosts a simulator pass looks at', () => {
  it('takes changed hosts once, and idle hosts never', () => {
    const queue = new HostQueue();
    queue.changed('a');
    queue.changed('b');
    queue.changed('a');
    expect(queue.nextDueIn(0)).toBe(0);
    expect(queue.take(0).sort()).toEqual(['a', 'b']);
    queue.requeue('a', Number.POSITIVE_INFINITY, 0);
    queue.requeue('b', Number.POSITIVE_INFINITY, 0);
    expect(queue.take(1_000_000)).toEqual([]);
    expect(queue.nextDueIn(0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('takes a requeued host when its delay has come, and says how long until then', () => {
    const queue = new HostQueue();
    queue.requeue('a', 300, 1000);
    queue.requeue('b', 100, 1000);
    expect(queue.nextDueIn(1000)).toBe(100);
    expect(queue.take(1099)).toEqual([]);
    expect(queue.take(1100)).toEqual(['b']);
    expect(queue.nextDueIn(1100)).toBe(200);
    expect(queue.take(1300)).toEqual(['a']);
    expect(queue.take(5000)).toEqual([]);
  });

  it('a change brings a host with a later due time forward, and taking it drops the old time', () => {
    const queue = new HostQueue();
    queue.requeue('a', 10_000, 0);
    queue.changed('a');
    expect(queue.take(5)).toEqual(['a']);
    expect(queue.take(20_000)).toEqual([]);
  });

  it('marks the hosts using a Secret when it changes, following a host that switches Secrets', () => {
    const queue = new HostQueue();
    queue.uses('a', 'a-bmc');
    queue.uses('b', 'shared');
    queue.uses('c', 'shared');
    queue.secretChanged('shared');
    expect(queue.take(0).sort()).toEqual(['b', 'c']);
    queue.uses('c', 'c-bmc');
    queue.secretChanged('shared');
    expect(queue.take(0)).toEqual(['b']);
    queue.secretChanged('unknown');
    expect(queue.take(0)).toEqual([]);
  });

  it('skips a written host while the cache still shows the version its write replaced, up to a bound', () => {
    const queue = new HostQueue();
    queue.wrote('a', '41', 1000);
    expect(queue.take(10)).toEqual([]);
    queue.changed('a'); // e.g. its Secret changed, before the watch brought the write
    expect(queue.take(20)).toEqual(['a']);
    expect(queue.awaitingWrite('a', '41', 20)).toBe(true);
    // Still due at the bound, in case the watch never brings the write.
    expect(queue.nextDueIn(20)).toBe(980);
    expect(queue.take(1000)).toEqual(['a']);
    expect(queue.awaitingWrite('a', '41', 1000)).toBe(false);
  });

  it('steps a written host as soon as the cache shows a newer version', () => {
    const queue = new HostQueue();
    queue.wrote('a', '41', 1000);
    queue.changed('a');
    expect(queue.take(10)).toEqual(['a']);
    expect(queue.awaitingWrite('a', '42', 10)).toBe(false);
    queue.requeue('a', Number.POSITIVE_INFINITY, 10);
    expect(queue.take(5000)).toEqual([]);
  });

  it('forgets a deleted host: no due time, no Secret link', () => {
    const queue = new HostQueue();
    queue.uses('a', 'a-bmc');
    queue.requeue('a', 100, 0);
    queue.changed('a');
    queue.forget('a');
    expect(queue.take(1000)).toEqual([]);
    queue.secretChanged('a-bmc');
    expect(queue.take(1000)).toEqual([]);
  });
});
