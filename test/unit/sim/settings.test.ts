import { describe, expect, it } from 'vitest';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { SimConfig, hostSettings } from '../../../sim/settings.js';

const host = (annotations: Record<string, string>): BareMetalHost => ({
  apiVersion: 'metal3.io/v1alpha1',
  kind: 'BareMetalHost',
  metadata: { name: 'h', annotations },
  spec: {},
});

describe('simulator settings', () => {
  const config = SimConfig.parse({
    defaultDelayMs: 100,
    delaysMs: { provisioning: 5000 },
    faults: { failProvisioning: 1, failPower: true },
  });

  it('takes the global config when a host says nothing', () => {
    const settings = hostSettings(host({}), config);
    expect(settings.delayMs).toMatchObject({ registering: 100, provisioning: 5000 });
    expect(settings.faults).toMatchObject({ failProvisioning: 1, failPower: true, failInspection: false });
    expect(settings.hardware).toEqual({ cpuCount: 32, ramMebibytes: 131072, diskGibibytes: 480 });
  });

  it('lets host annotations override delays, inventory and faults', () => {
    const settings = hostSettings(
      host({
        'sim.metal3-provider/delay-ms': '7',
        'sim.metal3-provider/delay-power-ms': '9',
        'sim.metal3-provider/ram-mebibytes': '2048',
        'sim.metal3-provider/fail-power': 'false',
        'sim.metal3-provider/fail-provisioning': '3',
        'sim.metal3-provider/hang': 'inspecting',
        'sim.metal3-provider/cpu-count': 'many',
      }),
      config,
    );
    expect(settings.delayMs).toMatchObject({ registering: 7, provisioning: 7, power: 9 });
    expect(settings.hardware).toMatchObject({ ramMebibytes: 2048, cpuCount: 32 });
    expect(settings.faults).toMatchObject({ failPower: false, failProvisioning: 3, hang: 'inspecting' });
  });

  it('rejects a config with unknown keys', () => {
    expect(() => SimConfig.parse({ defaultDelay: 5 })).toThrow();
  });
});
