import type { V1Secret } from '@kubernetes/client-node';
import {
  BMH_DETACHED_ANNOTATION,
  BMH_PAUSED_ANNOTATION,
  type BareMetalHost,
  type BmhStatus,
} from '../api/bareMetalHost.js';
import { credentialsStatus } from './bmcCredentials.js';
import { deletionStart } from './deletion.js';
import { hostSettings, type HostSettings, type SimConfig, type SimStep } from './settings.js';
import {
  applyChanges,
  errorChanges,
  HARDWARE_PROFILE,
  registeringStatus,
  ROOT_DEVICE_HINTS,
  type StatusChanges,
} from './statusChanges.js';

/**
 * BMO's host state machine as the simulator plays it, one status write at a time:
 *   "" → registering → inspecting → preparing → available → provisioning (when online and an image
 *   is set) → provisioned; removing or changing the image → deprovisioning → available.
 * A deleted host goes on to powering off before delete (after deprovisioning when it holds an image)
 * and deleting. A failed provisioning attempt sets errorType and then deprovisions, as BMO does,
 * after which BMO provisions again while the image stays set. `status.lastUpdated` marks when the
 * current step began, so a step's delay is measured from it.
 */
export interface SimTransition {
  /** The status to write, when something changes now. */
  status?: BmhStatus;
  /** When to look at the host again if nothing else changes. */
  requeueAfterMs?: number;
}

/** Simulator bookkeeping kept in status (BMO never reads it): failed provisioning attempts so far. */
interface SimStatus {
  provisioningFailures?: number;
}

type After = (step: SimStep, then: () => SimTransition) => SimTransition;

/**
 * The next status of `host`, whose BMC credentials are `secret` (BMO reads them before anything past
 * registration; undefined when they cannot be used, which only a host being deleted gets this far with).
 */
export function nextState(host: BareMetalHost, now: Date, config: SimConfig, secret?: V1Secret): SimTransition {
  const annotations = host.metadata.annotations ?? {};
  if (annotations[BMH_PAUSED_ANNOTATION] !== undefined) return {};
  const settings = hostSettings(host, config);
  const status: BmhStatus = structuredClone(host.status ?? {});
  const state = status.provisioning?.state ?? '';
  const write = (changes: StatusChanges): SimTransition => ({ status: applyChanges(status, changes, now) });
  const elapsed = now.getTime() - Date.parse(status.lastUpdated ?? '1970-01-01T00:00:00Z');
  const after: After = (step, then) => {
    const wait = settings.delayMs[step] - elapsed;
    return wait > 0 ? { requeueAfterMs: wait } : then();
  };

  if (host.metadata.deletionTimestamp) {
    const next = deletionStart(host, state);
    if (next !== undefined) return write({ state: next });
  }
  const detachable = ['provisioned', 'externally provisioned', 'ready', 'available'].includes(state);
  if (annotations[BMH_DETACHED_ANNOTATION] !== undefined && detachable) {
    return status.operationalStatus === 'detached' ? {} : write({ operationalStatus: 'detached' });
  }
  if (status.operationalStatus === 'detached') return write({ operationalStatus: status.errorType ? 'error' : 'OK' });

  if (!['', 'unmanaged', 'registering', 'deleting'].includes(state)) {
    // BMO registers again on every pass; a registration fault shows in whatever state the host is in.
    if (settings.faults.failRegistration) return registrationFault(status, settings, elapsed, now);
    if (status.errorType === 'registration error') return write({ errorType: undefined });
    // Deprovisioning clears the root device hints; that registration check puts the profile's back.
    if (status.hardwareProfile !== undefined && !status.provisioning?.rootDeviceHints) {
      return write({ provisioning: { rootDeviceHints: ROOT_DEVICE_HINTS } });
    }
  }
  if (settings.faults.hang === state) return {};

  switch (state) {
    case '':
      return host.spec.bmc
        ? { status: registeringStatus(now) }
        : write({ state: 'unmanaged', operationalStatus: 'discovered' });
    case 'unmanaged':
      return host.spec.bmc ? { status: registeringStatus(now) } : {};
    case 'registering':
      return register(host, status, settings, secret, elapsed, now, after);
    case 'inspecting':
      // BMO retries a failed inspection; here it is retried once the fault is lifted.
      if (status.errorType) return settings.faults.failInspection ? {} : write({ errorType: undefined });
      return after('inspecting', () =>
        settings.faults.failInspection
          ? write(errorChanges(status, 'inspection error', 'Inspection failed: the ramdisk did not report back'))
          : write({ state: 'preparing', hardware: inventory(host, settings), errorCount: 0 }),
      );
    case 'preparing':
      if (status.errorType) return settings.faults.failPreparation ? {} : write({ errorType: undefined });
      return after('preparing', () =>
        settings.faults.failPreparation
          ? write(errorChanges(status, 'preparation error', 'Preparing the host failed: cleaning step raid failed'))
          : write({ state: 'available', errorCount: 0 }),
      );
    case 'ready':
    case 'available':
      if (host.spec.externallyProvisioned) return {};
      if (host.spec.image?.url && host.spec.online === true) return write({ state: 'provisioning' });
      return followPower(host, status, settings, now, after);
    case 'provisioning':
      if (status.errorType || provisioningCancelled(host, status)) return write({ state: 'deprovisioning' });
      return after('provisioning', () => provisioningOutcome(host, status, settings, now));
    case 'provisioned':
      if (provisioningCancelled(host, status)) return write({ state: 'deprovisioning' });
      return followPower(host, status, settings, now, after);
    case 'deprovisioning':
      return after('deprovisioning', () => {
        const provisioning: Record<string, unknown> = { ...status.provisioning, image: { url: '' } };
        delete provisioning.rootDeviceHints;
        const next = host.metadata.deletionTimestamp ? 'powering off before delete' : 'available';
        return {
          status: applyChanges({ ...status, provisioning }, { state: next, errorType: undefined, errorCount: 0 }, now),
        };
      });
    case 'powering off before delete':
      if (!status.poweredOn) return write({ state: 'deleting', errorCount: 0 });
      return after('power', () => write({ state: 'deleting', errorCount: 0, poweredOn: false }));
    default:
      return {};
  }
}

/**
 * Registering, as BMO's passes write it: the credentials tried (and the provisioner's node ID), then
 * after the step's delay the hardware profile, then the credentials that worked and inspecting.
 */
function register(
  host: BareMetalHost,
  status: BmhStatus,
  settings: HostSettings,
  secret: V1Secret | undefined,
  elapsed: number,
  now: Date,
  after: After,
): SimTransition {
  const write = (changes: StatusChanges): SimTransition => ({ status: applyChanges(status, changes, now) });
  if (!secret) return {};
  const credentials = credentialsStatus(secret);
  const tried = status.triedCredentials as { credentialsVersion?: string } | undefined;
  if (tried?.credentialsVersion !== credentials.credentialsVersion) {
    return write({
      triedCredentials: credentials,
      provisioning: { ID: host.metadata.uid ?? host.metadata.name },
      errorType: undefined,
    });
  }
  if (settings.faults.failRegistration) return registrationFault(status, settings, elapsed, now);
  if (status.errorType === 'registration error') return write({ errorType: undefined });
  if (status.hardwareProfile === undefined) {
    return after('registering', () =>
      write({ hardwareProfile: HARDWARE_PROFILE, provisioning: { rootDeviceHints: ROOT_DEVICE_HINTS } }),
    );
  }
  return write({ state: 'inspecting', goodCredentials: credentials, errorCount: 0 });
}

/** A BMC that cannot be reached: BMO records a registration error and tries again, counting. */
function registrationFault(status: BmhStatus, settings: HostSettings, elapsed: number, now: Date): SimTransition {
  const message = 'Failed to validate BMC access';
  if (status.errorType === 'registration error' && status.errorMessage === message) {
    const wait = settings.errorRetryMs - elapsed;
    if (wait > 0) return { requeueAfterMs: wait };
  }
  return { status: applyChanges(status, errorChanges(status, 'registration error', message), now) };
}

function provisioningOutcome(host: BareMetalHost, status: BmhStatus, settings: HostSettings, now: Date): SimTransition {
  if (settings.faults.failPower) {
    const changes = errorChanges(status, 'power management error', 'Failed to power on the host: BMC did not respond');
    return { status: applyChanges(status, changes, now) };
  }
  const sim = (status.simulator ?? {}) as SimStatus;
  const failures = sim.provisioningFailures ?? 0;
  if (failures < settings.faults.failProvisioning) {
    const message = `Image provisioning failed: deploy step write_image failed (attempt ${failures + 1})`;
    const failed = applyChanges(status, errorChanges(status, 'provisioning error', message), now);
    failed.simulator = { ...sim, provisioningFailures: failures + 1 };
    return { status: failed };
  }
  // The image is recorded once it is written; the host reports power on at the next power check.
  const image = structuredClone(host.spec.image ?? { url: '' });
  return { status: applyChanges(status, { state: 'provisioned', errorCount: 0, provisioning: { image } }, now) };
}

/** In available and provisioned, BMO keeps the power state equal to `spec.online`. */
function followPower(
  host: BareMetalHost,
  status: BmhStatus,
  settings: HostSettings,
  now: Date,
  after: After,
): SimTransition {
  const online = host.spec.online === true;
  if (status.errorType === 'power management error') {
    return settings.faults.failPower ? {} : { status: applyChanges(status, { errorType: undefined }, now) };
  }
  if ((status.poweredOn ?? false) === online) return {};
  return after('power', () => {
    const changes = settings.faults.failPower
      ? errorChanges(
          status,
          'power management error',
          `Failed to power ${online ? 'on' : 'off'} the host: BMC did not respond`,
        )
      : { poweredOn: online };
    return { status: applyChanges(status, changes, now) };
  });
}

/** As BMO: no image (or an empty URL) cancels; a different image cancels once one has been written. */
function provisioningCancelled(host: BareMetalHost, status: BmhStatus): boolean {
  const url = host.spec.image?.url;
  if (!url) return true;
  const written = status.provisioning?.image?.url ?? '';
  return written !== '' && written !== url;
}

function inventory(host: BareMetalHost, settings: HostSettings): NonNullable<BmhStatus['hardware']> {
  const { cpuCount, ramMebibytes, diskGibibytes } = settings.hardware;
  return {
    cpu: { count: cpuCount, arch: 'x86_64' },
    ramMebibytes,
    nics: [{ name: 'eth0', mac: host.spec.bootMACAddress, pxe: true, speedGbps: 10 }],
    storage: [{ name: '/dev/sda', sizeBytes: diskGibibytes * 2 ** 30 }],
    hostname: host.metadata.name,
  };
}
