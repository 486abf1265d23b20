import { z } from 'zod';
import type { BareMetalHost } from '../api/bareMetalHost.js';

/**
 * Simulator behaviour: a global config, overridden per host by annotations under
 * `sim.metal3-provider/`:
 *   delay-ms, delay-<step>-ms       milliseconds a step takes (steps: see SIM_STEPS)
 *   error-retry-ms                  milliseconds between tries of a failing registration (BMO: 10 s)
 *   cpu-count, ram-mebibytes, disk-gibibytes   inventory reported by inspection
 *   fail-provisioning: N            the first N provisioning attempts of the host fail
 *   fail-registration | fail-inspection | fail-preparation | fail-power: "true"
 *   hang: <state>                   the host never leaves that provisioning state
 */
export const SIM_ANNOTATION_PREFIX = 'sim.metal3-provider/';

export const SIM_STEPS = ['registering', 'inspecting', 'preparing', 'provisioning', 'deprovisioning', 'power'] as const;
export type SimStep = (typeof SIM_STEPS)[number];

const Faults = z.strictObject({
  failProvisioning: z.number().int().min(0).default(0),
  failRegistration: z.boolean().default(false),
  failInspection: z.boolean().default(false),
  failPreparation: z.boolean().default(false),
  failPower: z.boolean().default(false),
  hang: z.string().optional(),
});

export const SimConfig = z.strictObject({
  defaultDelayMs: z.number().int().min(0).default(500),
  delaysMs: z.partialRecord(z.enum(SIM_STEPS), z.number().int().min(0)).default({}),
  /** BMO looks for missing BMC credentials again every 10 s, counting each failure. */
  errorRetryMs: z.number().int().min(1).default(10_000),
  hardware: z
    .strictObject({
      cpuCount: z.number().int().min(1).default(32),
      ramMebibytes: z.number().int().min(1).default(131072),
      diskGibibytes: z.number().int().min(1).default(480),
    })
    .default({ cpuCount: 32, ramMebibytes: 131072, diskGibibytes: 480 }),
  faults: Faults.default({
    failProvisioning: 0,
    failRegistration: false,
    failInspection: false,
    failPreparation: false,
    failPower: false,
  }),
});
export type SimConfig = z.infer<typeof SimConfig>;
export type SimConfigInput = z.input<typeof SimConfig>;

export interface HostSettings {
  delayMs: Record<SimStep, number>;
  errorRetryMs: number;
  hardware: SimConfig['hardware'];
  faults: z.infer<typeof Faults>;
}

/** The settings for one host: its annotations over the global config. Malformed values fall back to the config. */
export function hostSettings(host: BareMetalHost, config: SimConfig): HostSettings {
  const annotations = host.metadata.annotations ?? {};
  const get = (key: string) => annotations[`${SIM_ANNOTATION_PREFIX}${key}`];
  const int = (key: string, fallback: number) => {
    const value = get(key);
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
  };
  const flag = (key: string, fallback: boolean) => {
    const value = get(key);
    return value === undefined ? fallback : value === 'true';
  };
  // Most specific first: the host's step delay, the host's delay, the config's step delay, its default.
  const hostDelay = int('delay-ms', -1);
  const delayMs = Object.fromEntries(
    SIM_STEPS.map((step) => {
      const fallback = hostDelay >= 0 ? hostDelay : (config.delaysMs[step] ?? config.defaultDelayMs);
      return [step, int(`delay-${step}-ms`, fallback)];
    }),
  ) as Record<SimStep, number>;
  const hang = get('hang') ?? config.faults.hang;
  return {
    delayMs,
    errorRetryMs: Math.max(1, int('error-retry-ms', config.errorRetryMs)),
    hardware: {
      cpuCount: int('cpu-count', config.hardware.cpuCount),
      ramMebibytes: int('ram-mebibytes', config.hardware.ramMebibytes),
      diskGibibytes: int('disk-gibibytes', config.hardware.diskGibibytes),
    },
    faults: {
      failProvisioning: int('fail-provisioning', config.faults.failProvisioning),
      failRegistration: flag('fail-registration', config.faults.failRegistration),
      failInspection: flag('fail-inspection', config.faults.failInspection),
      failPreparation: flag('fail-preparation', config.faults.failPreparation),
      failPower: flag('fail-power', config.faults.failPower),
      ...(hang === undefined ? {} : { hang }),
    },
  };
}
