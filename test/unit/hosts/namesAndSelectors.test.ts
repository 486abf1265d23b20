import { describe, expect, it } from 'vitest';
import { MACHINE_NAME_LABEL, machineLabels, machineSecretName } from '../../../activities/secrets/machineSecrets.js';
import { exactLabelSelector, labelSelectorQuery } from '../../../k8s/labelSelector.js';

describe('labelSelectorQuery', () => {
  it('writes matchLabels and every operator in the API server syntax', () => {
    expect(
      labelSelectorQuery({
        matchLabels: { role: 'gpu', datacenter: 'us-east' },
        matchExpressions: [
          { key: 'zone', operator: 'In', values: ['a', 'b'] },
          { key: 'tier', operator: 'NotIn', values: ['x'] },
          { key: 'ready', operator: 'Exists' },
          { key: 'broken', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('role=gpu,datacenter=us-east,zone in (a,b),tier notin (x),ready,!broken');
    expect(labelSelectorQuery({})).toBe('');
  });
});

describe('exactLabelSelector', () => {
  it("writes a Machine's labels as a selector that matches only Secrets carrying both", () => {
    const labels = machineLabels({ namespace: 'team-a', name: 'web-1' });
    expect(exactLabelSelector(labels)).toBe(
      'metal3-provider.io/machine-name=web-1,metal3-provider.io/machine-namespace=team-a',
    );
  });

  it('refuses, naming the label, anything that would widen or break the selector of a collection delete', () => {
    expect(() => exactLabelSelector({})).toThrow(/at least one label/);
    expect(() => exactLabelSelector({ app: '' })).toThrow(/label "app": "" is not a non-empty label value/);
    // A comma or an operator in a value would add terms of its own.
    expect(() => exactLabelSelector({ app: 'a,b' })).toThrow(/label "app": "a,b"/);
    expect(() => exactLabelSelector({ app: 'x', tier: '!=web' })).toThrow(/label "tier": "!=web"/);
    expect(() => exactLabelSelector({ 'bad key!': 'x' })).toThrow(/"bad key!" is not a valid label key/);
  });
});

describe('machine Secret names', () => {
  it('differ for Machines of the same name in different namespaces and stay valid names', () => {
    const a = machineSecretName({ namespace: 'team-a', name: 'web-1' }, 'userData');
    const b = machineSecretName({ namespace: 'team-b', name: 'web-1' }, 'userData');
    expect(a).toMatch(/^web-1-[0-9a-f]{8}-user-data$/);
    expect(a).not.toBe(b);
    const long = machineSecretName({ namespace: 'n', name: 'x'.repeat(300) }, 'networkData');
    expect(long.length).toBeLessThanOrEqual(253);
    expect(long.endsWith('-network-data')).toBe(true);
  });

  it('keeps label values within 63 characters, unique per Machine', () => {
    const one = machineLabels({ namespace: 'ns', name: `${'a'.repeat(70)}1` })[MACHINE_NAME_LABEL] ?? '';
    const two = machineLabels({ namespace: 'ns', name: `${'a'.repeat(70)}2` })[MACHINE_NAME_LABEL] ?? '';
    expect(one.length).toBeLessThanOrEqual(63);
    expect(one).not.toBe(two);
    expect(machineLabels({ namespace: 'ns', name: 'short' })[MACHINE_NAME_LABEL]).toBe('short');
  });
});
