import { describe, expect, it } from 'vitest';
import { LabelSelector, labelKeyProblem, selectorMatches } from '../../../api/labelSelector.js';

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

describe("selector keys and values follow Kubernetes' label rules", () => {
  const issues = (selector: unknown) =>
    (LabelSelector.safeParse(selector).error?.issues ?? []).map(({ path, message }) => ({ path, message }));

  it.each(['role', 'example.com/role', 'metal3.io/rack_1', 'a', 'A.b-c_D'])('accepts the key %s', (key) => {
    expect(labelKeyProblem(key)).toBeUndefined();
    expect(issues({ matchLabels: { [key]: 'x' }, matchExpressions: [{ key, operator: 'Exists' }] })).toEqual([]);
  });

  it.each([
    ['', 'must not be empty'],
    [
      'data center',
      '"data center" is not a valid label key: the name must be at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
    ],
    [
      '-role',
      '"-role" is not a valid label key: the name must be at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
    ],
    [
      `r${'o'.repeat(63)}`,
      `"r${'o'.repeat(63)}" is not a valid label key: the name must be at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`,
    ],
    [
      'Example.com/role',
      '"Example.com/role" is not a valid label key: its prefix "Example.com" must be a DNS subdomain (lower-case letters, digits, "-" and ".", e.g. "example.com")',
    ],
    [
      'a/b/c',
      '"a/b/c" is not a valid label key: its prefix "a/b" must be a DNS subdomain (lower-case letters, digits, "-" and ".", e.g. "example.com")',
    ],
    ['example.com/', '"example.com/" is not a valid label key: the name after the prefix is empty'],
  ])('refuses the key %j in matchLabels and in matchExpressions, at the key', (key, message) => {
    expect(issues({ matchLabels: { [key]: 'x' } })).toEqual([{ path: ['matchLabels', key], message }]);
    expect(issues({ matchExpressions: [{ key, operator: 'Exists' }] })).toEqual([
      { path: ['matchExpressions', 0, 'key'], message },
    ]);
  });

  it('refuses an expression value that is not a label value, at the value', () => {
    expect(issues({ matchExpressions: [{ key: 'role', operator: 'In', values: ['gpu', 'gpu server'] }] })).toEqual([
      {
        path: ['matchExpressions', 0, 'values', 1],
        message:
          '"gpu server" is not a valid label value; use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
      },
    ]);
  });
});
