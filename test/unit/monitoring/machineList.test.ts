import { describe, expect, it } from 'vitest';
import { machineListing, parseWatchInterval, summaryTable, watchListing } from '../../../cli/machineList.js';
import type { MachineSummary } from '../../../client/machineClient.js';

const m = (machine: string, phase?: string, nodeType?: string): MachineSummary => ({
  workflowId: `machine/${machine}`,
  machine,
  status: 'RUNNING',
  ...(phase && { phase }),
  ...(nodeType && { nodeType }),
});

const FLEET = [
  m('t/a', 'Ready', 'gpu-node'),
  m('t/b', 'Stuck', 'compute-node'),
  m('t/c', 'Ready', 'compute-node'),
  m('t/d', 'Ready', 'compute-node'),
  m('t/e', 'Pending'),
  m('t/f', 'WaitingForHost', 'gpu-node'),
];

describe('machine list', () => {
  it('sums Machines per phase and node type, in lifecycle order, with the total', () => {
    expect(summaryTable(FLEET)).toBe(
      [
        'PHASE           NODE TYPE     MACHINES',
        'Pending         -             1',
        'WaitingForHost  gpu-node      1',
        'Ready           compute-node  2',
        'Ready           gpu-node      1',
        'Stuck           compute-node  1',
        'total                         6',
        '',
      ].join('\n'),
    );
    expect(summaryTable([])).toBe('PHASE  NODE TYPE  MACHINES\ntotal             0\n');
  });

  it('lists every Machine, then the summary', () => {
    const text = machineListing(FLEET.slice(0, 2));
    expect(text).toBe(
      [
        'MACHINE  PHASE  NODE TYPE     HOST  ADDRESS  WORKFLOW',
        't/a      Ready  gpu-node                     RUNNING',
        't/b      Stuck  compute-node                 RUNNING',
        '',
        'PHASE  NODE TYPE     MACHINES',
        'Ready  gpu-node      1',
        'Stuck  compute-node  1',
        'total                2',
        '',
      ].join('\n'),
    );
  });

  it('takes --watch as whole seconds of at least 1', () => {
    expect(parseWatchInterval('5')).toBe(5);
    for (const bad of ['0', '-1', '1.5', 'soon', '']) expect(() => parseWatchInterval(bad)).toThrow(/--watch/);
  });

  it('--watch off a terminal prints a listing only when it changed, and stops when aborted', async () => {
    const snapshots = [FLEET.slice(0, 1), FLEET.slice(0, 1), FLEET.slice(0, 2)];
    const stop = new AbortController();
    let calls = 0;
    const written: string[] = [];
    await watchListing(
      () => {
        const next = snapshots[calls] ?? [];
        calls += 1;
        if (calls === snapshots.length) stop.abort();
        return Promise.resolve(next);
      },
      1,
      { write: (text: string) => written.push(text), isTTY: false },
      stop.signal,
      () => new Date('2026-12-05T12:00:00Z'),
    );
    expect(calls).toBe(3);
    expect(written).toHaveLength(2);
    expect(written[0]).toBe(`2026-12-05T12:00:00.000Z\n${machineListing(FLEET.slice(0, 1))}\n`);
    expect(written[1]).toContain('t/b      Stuck');
  }, 10_000);

  it('--watch on a terminal redraws the screen every time', async () => {
    const stop = new AbortController();
    const written: string[] = [];
    let calls = 0;
    await watchListing(
      () => {
        calls += 1;
        if (calls === 2) stop.abort();
        return Promise.resolve(FLEET);
      },
      1,
      { write: (text: string) => written.push(text), isTTY: true },
      stop.signal,
    );
    expect(written).toHaveLength(2);
    for (const text of written) {
      expect(text.startsWith('\x1b[H\x1b[2J')).toBe(true);
      expect(text).toContain('every 1s, Ctrl-C to stop');
      expect(text).toContain('total');
    }
  }, 10_000);
});
