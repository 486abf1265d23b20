import { describe, expect, it } from 'vitest';
import { compareRecordings, keyPattern } from '../../support/bmoConformance/compare.js';
import { collapseRising, flatten, normalizeRun } from '../../support/bmoConformance/normalize.js';
import type { ScenarioRun } from '../../support/bmoConformance/runScenario.js';
import type { RawObject } from '../../support/bmoConformance/scenarios.js';
import type { Observation } from '../../support/bmoConformance/watchObjects.js';

const scenario = { name: 'demo', description: 'a scenario', steps: [{ do: 'delete' as const }] };

function host(state: string | undefined, extra: Record<string, unknown> = {}, metadata: object = {}): RawObject {
  return {
    metadata: { name: 'conf-demo', namespace: 't-1234', uid: 'u-1', resourceVersion: '9', ...metadata },
    spec: { online: false },
    ...(state === undefined
      ? {}
      : { status: { provisioning: { state }, lastUpdated: '2026-01-01T00:00:00Z', ...extra } }),
  };
}

function run(observations: Observation[]): ScenarioRun {
  return { scenario, namespace: 't-1234', host: 'conf-demo', observations };
}

describe('normalizing a scenario run', () => {
  it('keeps states in order and each field’s distinct values per stretch, without times, uids or the namespace', () => {
    const recording = normalizeRun(
      run([
        { kind: 'host', type: 'ADDED', object: host(undefined) },
        { kind: 'host', type: 'MODIFIED', object: host(undefined, {}, { finalizers: ['f'] }) },
        { kind: 'host', type: 'MODIFIED', object: host('registering', { errorCount: 0, errorMessage: '' }) },
        {
          kind: 'host',
          type: 'MODIFIED',
          object: host('registering', { errorCount: 1, errorMessage: 'secret t-1234/x does not exist' }),
        },
        { kind: 'host', type: 'MODIFIED', object: host('registering', { errorCount: 2, errorMessage: '' }) },
        { kind: 'host', type: 'MODIFIED', object: host('registering', { errorCount: 3, errorMessage: '' }) },
        { kind: 'host', type: 'MODIFIED', object: host('deleting', { errorCount: 3 }, { deletionTimestamp: 'x' }) },
        { kind: 'host', type: 'DELETED', object: host('deleting') },
        {
          kind: 'secret',
          type: 'ADDED',
          object: {
            metadata: { name: 's', ownerReferences: [{ kind: 'BareMetalHost', name: 'conf-demo', uid: 'u' }] },
          },
        },
      ]),
    );
    expect(recording.host.states).toEqual(['', 'registering', 'deleting']);
    expect(recording.host.gone).toBe(true);
    const [none, registering, deleting] = recording.host.segments;
    expect(none?.fields['metadata.finalizers']).toEqual(['<absent>', ['f']]);
    expect(registering?.fields['status.errorCount']).toEqual([0, 'rising']);
    expect(registering?.fields['status.errorMessage']).toEqual(['', 'secret <namespace>/x does not exist', '']);
    expect(registering?.fields['status.lastUpdated']).toEqual(['<time>']);
    expect(deleting?.fields['metadata.deletionTimestamp']).toEqual(['<time>']);
    expect(recording.bmcSecret.versions).toEqual([{ ownerReferences: [{ kind: 'BareMetalHost', name: 'conf-demo' }] }]);
  });

  it('reports a count rising one by one as rising, a single step as it is', () => {
    expect(collapseRising([0, 1])).toEqual([0, 1]);
    expect(collapseRising([0, 1, 2])).toEqual([0, 'rising']);
    expect(collapseRising([0, 1, 2, 3, 4, 0])).toEqual([0, 'rising', 0]);
    expect(collapseRising([2, 0])).toEqual([2, 0]);
  });

  it('flattens to leaf paths, keeping lists of plain values and empty objects whole', () => {
    expect(flatten({ a: { b: 1, c: [], d: {} }, list: [{ x: 1 }], flags: ['p', 'q'] })).toEqual({
      'a.b': 1,
      'a.c': [],
      'a.d': {},
      'list[0].x': 1,
      flags: ['p', 'q'],
    });
  });
});

describe('comparing recordings', () => {
  const base = normalizeRun(run([{ kind: 'host', type: 'ADDED', object: host('registering', { poweredOn: false }) }]));

  it('lists each differing key with both values, and ignores exactly the accepted keys', () => {
    const other = normalizeRun(
      run([
        { kind: 'host', type: 'ADDED', object: host('registering', { poweredOn: true }) },
        { kind: 'HardwareData', type: 'ADDED', object: { metadata: { name: 'conf-demo' } } },
      ]),
    );
    const plain = compareRecordings(other, base, []);
    expect(plain.mismatches).toEqual([
      'host.registering#1.status.poweredOn\n    BMO: [true]\n    sim: [false]',
      'related.HardwareData\n    BMO: {"<host name>":{"versions":[{}],"gone":false}}\n    sim: (none)',
    ]);
    const excused = compareRecordings(other, base, [{ id: 'r', what: '', reason: '', keys: ['related.**'] }]);
    expect(excused.mismatches).toHaveLength(1);
    expect([...excused.used]).toEqual(['r']);
  });

  it('matches key patterns: * within one dotted part, ** across parts', () => {
    expect(keyPattern('host.*.status.hardware.**').test('host.available#1.status.hardware.nics[0].mac')).toBe(true);
    expect(keyPattern('host.*.status.poweredOn').test('host.a.b.status.poweredOn')).toBe(false);
    expect(keyPattern('related.**').test('related.HardwareData')).toBe(true);
  });
});
