import { describe, expect, it } from 'vitest';
import { LabelSelector, selectorMatches } from '../../../api/labelSelector.js';

const host = { role: 'gpu', datacenter: 'us-east' };

describe('node type host selectors', () => {
  it.each<[string, unknown, boolean]>([
    ['an empty selector matches every host', {}, true],
    ['matchLabels all present', { matchLabels: { role: 'gpu', datacenter: 'us-east' } }, true],
    ['matchLabels with one different value', { matchLabels: { role: 'gpu', datacenter: 'eu-west' } }, false],
    ['In', { matchExpressions: [{ key: 'role', operator: 'In', values: ['compute', 'gpu'] }] }, true],
    ['In without the label', { matchExpressions: [{ key: 'rack', operator: 'In', values: ['r1'] }] }, false],
    ['NotIn', { matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['gpu'] }] }, false],
    ['NotIn without the label', { matchExpressions: [{ key: 'rack', operator: 'NotIn', values: ['r1'] }] }, true],
    ['Exists', { matchExpressions: [{ key: 'datacenter', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'datacenter', operator: 'DoesNotExist' }] }, false],
    [
      'labels and expressions together',
      { matchLabels: { role: 'gpu' }, matchExpressions: [{ key: 'rack', operator: 'DoesNotExist' }] },
      true,
    ],
  ])('%s', (_name, selector, matches) => {
    expect(selectorMatches(LabelSelector.parse(selector), host)).toBe(matches);
  });

  it('treats a host without labels as having none', () => {
    expect(selectorMatches(LabelSelector.parse({ matchLabels: { role: 'gpu' } }), undefined)).toBe(false);
    expect(selectorMatches(LabelSelector.parse({}), undefined)).toBe(true);
  });
});
