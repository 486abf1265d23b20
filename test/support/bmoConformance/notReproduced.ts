import { SimConfig } from '../../../sim/settings.js';
import type { NotReproduced } from './compare.js';

/**
 * What the real BMO does that the simulator deliberately does not, each with the reason. The
 * conformance test ignores exactly these keys (and fails when an entry no longer matches anything,
 * so the list cannot outlive the difference). docs/bmo-conformance.md explains them in prose.
 */
export const NOT_REPRODUCED: readonly NotReproduced[] = [
  {
    id: 'related-objects',
    what: 'BMO creates HardwareData (with its own finalizer), HostFirmwareSettings, HostFirmwareComponents and FirmwareSchema objects for every registered host',
    reason:
      'the project installs no CRDs for these kinds and nothing in it reads them; the simulator ' +
      'reports the inventory in status.hardware, where the provider reads it',
    keys: ['related.**'],
  },
  {
    id: 'inventory',
    what: "status.hardware holds the fixture provisioner's one made-up machine (1 CPU, two NICs with LLDP, two 93 TiB disks)",
    reason:
      'the simulator reports the inventory its settings give each host (cpu-count, ram-mebibytes, ' +
      'disk-gibibytes), which node-type matching in the tests and the demo depends on; both write it ' +
      'when the host moves to preparing',
    keys: ['host.*.status.hardware.**'],
  },
];

/**
 * The simulator's settings for the conformance test: short steps, but provisioning long enough for
 * a change of spec to land while a host is still provisioning, and registration retries quicker
 * than BMO's 10 s yet slow enough that a step taken at the second failure lands before a third.
 */
export const CONFORMANCE_SIM_CONFIG = SimConfig.parse({
  defaultDelayMs: 200,
  delaysMs: { provisioning: 1500 },
  errorRetryMs: 3000,
});
