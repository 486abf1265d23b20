import { describe, expect, it } from 'vitest';
import { WorkQueue, backoffDelayMs, type WorkOutcome } from '../../../controller/workQueue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WorkQueue', () => {
  it('never handles one key twice at once; a key added meanwhile is handled once more afterwards', async () => {
    let running = 0;
    let overlap = false;
    const handled: string[] = [];
    const queue = new WorkQueue(
      async (key) => {
        running += 1;
        if (running > 1) overlap = true;
        handled.push(key);
        await sleep(30);
        running -= 1;
        return {};
      },
      { concurrency: 4, baseDelayMs: 10, maxDelayMs: 100 },
    );
    queue.add('ns/a');
    await sleep(5);
    queue.add('ns/a');
    queue.add('ns/a');
    await sleep(100);
    expect(overlap).toBe(false);
    expect(handled).toEqual(['ns/a', 'ns/a']);
    await queue.shutdown();
  });

  it('runs different keys in parallel up to the concurrency', async () => {
    let peak = 0;
    let running = 0;
    const queue = new WorkQueue(
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(20);
        running -= 1;
        return {};
      },
      { concurrency: 2, baseDelayMs: 10, maxDelayMs: 100 },
    );
    for (const key of ['a', 'b', 'c', 'd']) queue.add(key);
    await sleep(80);
    expect(peak).toBe(2);
    await queue.shutdown();
  });

  it('requeues after the asked delay, backs off on failures, and stops taking work on shutdown', async () => {
    const times: number[] = [];
    const outcomes: WorkOutcome[] = [{ backoff: true }, { backoff: true }, { requeueAfterMs: 20 }, {}];
    const start = Date.now();
    const queue = new WorkQueue(
      () => {
        times.push(Date.now() - start);
        return Promise.resolve(outcomes.shift() ?? {});
      },
      { concurrency: 1, baseDelayMs: 20, maxDelayMs: 1_000 },
    );
    queue.add('k');
    await sleep(200);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    // 20 ms, then 40 ms (doubled), then the asked 20 ms.
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(gaps[2]).toBeGreaterThanOrEqual(18);
    queue.addAfter('k', 10);
    await queue.shutdown();
    await sleep(30);
    expect(times).toHaveLength(4);
  });

  it('doubles the backoff from the base delay up to the maximum', () => {
    const options = { baseDelayMs: 500, maxDelayMs: 60_000 };
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, options))).toEqual([500, 1_000, 2_000, 4_000]);
    expect(backoffDelayMs(20, options)).toBe(60_000);
  });
});
