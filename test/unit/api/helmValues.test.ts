import { describe, expect, it } from 'vitest';
import { isMapping, mergeValues, valueAtPath, valuesAtPath } from '../../../api/charts/helmValues.js';

describe('Helm values', () => {
  it('merges mappings key by key and replaces lists, scalars and null as Helm does', () => {
    expect(
      mergeValues({ a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } }, { a: { c: [3] }, d: { now: 'a map' }, e: null }),
    ).toEqual({ a: { b: 1, c: [3] }, d: { now: 'a map' }, e: null });
  });

  it('reads a dotted path, undefined where it leaves the mappings', () => {
    const values = { image: { tag: 'v1', list: [{ a: 1 }] }, port: 67 };
    expect(valueAtPath(values, 'image.tag')).toBe('v1');
    expect(valueAtPath(values, 'port')).toBe(67);
    expect(valueAtPath(values, 'image.list.0')).toBeUndefined();
    expect(valueAtPath(values, 'port.number')).toBeUndefined();
    expect(valueAtPath(values, 'missing.key')).toBeUndefined();
  });

  it('nests a value under a dotted path, so that merging it sets just that key', () => {
    expect(valuesAtPath('image.tag', 'v2')).toEqual({ image: { tag: 'v2' } });
    expect(mergeValues({ image: { tag: 'v1', repository: 'r' } }, valuesAtPath('image.tag', 'v2'))).toEqual({
      image: { tag: 'v2', repository: 'r' },
    });
  });

  it('takes only mappings for mappings', () => {
    expect([isMapping({}), isMapping([]), isMapping(null), isMapping('a')]).toEqual([true, false, false, false]);
  });
});
