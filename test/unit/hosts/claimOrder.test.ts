import { describe, expect, it } from 'vitest';
import { inClaimOrder } from '../../../activities/hosts/claimOrder.js';
import { availableHost } from './hostFixture.js';

const names = (hosts: Iterable<{ metadata: { name: string } }>) => [...hosts].map((h) => h.metadata.name);

/** A random source that returns `values` in turn. */
const drawing = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

describe('the order a claim tries its candidates in', () => {
  const hosts = [
    availableHost('big', { cpu: 64 }),
    availableHost('gpu', { cpu: 16, annotations: { 'capacity.metal3-provider.io/nvidia.com_gpu': '4' } }),
    availableHost('tie-1', { cpu: 16, ramMiB: 65536 }),
    availableHost('less-ram-1', { cpu: 16, ramMiB: 32768 }),
    availableHost('tie-2', { cpu: 16, ramMiB: 65536 }),
    availableHost('less-ram-2', { cpu: 16, ramMiB: 32768 }),
  ];

  it('tries the smallest hosts first, then the others by size; declared extended resources count as largest', () => {
    expect(names(inClaimOrder(hosts, () => 0))).toEqual(['less-ram-1', 'less-ram-2', 'tie-1', 'tie-2', 'big', 'gpu']);
  });

  it('orders hosts of one size by the random source, among the smallest and among the others', () => {
    expect(names(inClaimOrder(hosts, drawing(0.99, 0.99, 0.9, 0.1, 0.8, 0.2)))).toEqual([
      'less-ram-2',
      'less-ram-1',
      'tie-2',
      'tie-1',
      'big',
      'gpu',
    ]);
  });

  it('offers every candidate once, whatever the random source draws', () => {
    for (const random of [() => 0, () => 0.999999, drawing(0.3, 0.7, 0.1)]) {
      expect(names(inClaimOrder(hosts, random)).sort()).toEqual(names(hosts).sort());
    }
    expect(names(inClaimOrder([], Math.random))).toEqual([]);
  });

  it('weighs only what the claim reads: its first of 10,000 equal hosts draws one random number', () => {
    const fleet = Array.from({ length: 10_000 }, (_, i) => availableHost(`h-${i}`));
    let draws = 0;
    const order = inClaimOrder(fleet, () => {
      draws++;
      return 0.5;
    });
    const first = order.next();
    expect(first.done ? undefined : first.value.metadata.name).toBe('h-5000');
    expect(draws).toBe(1);
    expect(order.next().done).toBe(false);
    expect(draws).toBe(2);
  });
});
