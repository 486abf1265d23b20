import { describe, expect, it } from 'vitest';
import { MACHINE_NAME_LABEL, machineLabels, machineSecretName } from '../../../activities/secrets/machineSecrets.js';
import { labelSelectorQuery } from '../../../k8s/labelSelector.js';

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
