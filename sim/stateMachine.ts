import {
  BMH_DETACHED_ANNOTATION,
  BMH_PAUSED_ANNOTATION,
  type BareMetalHost,
  type BmhErrorType,
  type BmhStatus,
} from '../api/bareMetalHost.js';
import { hostSettings, type HostSettings, type SimConfig, type SimStep } from './settings.js';

/**
 * BMO's host state machine as the simulator plays it:
 *   "" → registering → inspecting → preparing → available → provisioning (when online and an image
 *   is set) → provisioned; removing the image → deprovisioning → available.
 * A failed provisioning attempt sets errorType and then deprovisions, as BMO does, after which BMO
 * provisions again while the image stays set. `status.lastUpdated` marks when the current step began,
 * so a step's delay is measured from it.
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

export function nextState(host: BareMetalHost, now: Date, config: SimConfig): SimTransition {
  const annotations = host.metadata.annotations ?? {};
  if (host.metadata.deletionTimestamp || annotations[BMH_PAUSED_ANNOTATION] !== undefined) return {};
  const settings = hostSettings(host, config);
  const status: BmhStatus = structuredClone(host.status ?? {});
  const state = status.provisioning?.state ?? '';
  const write = (changes: Partial<BmhStatus> & { state?: string }): SimTransition => ({
    status: applyChanges(status, changes, now),
  });

  const detachable = ['provisioned', 'externally provisioned', 'ready', 'available'].includes(state);
  if (annotations[BMH_DETACHED_ANNOTATION] !== undefined && detachable) {
    return status.operationalStatus === 'detached' ? {} : write({ operationalStatus: 'detached' });
  }
  if (status.operationalStatus === 'detached') return write({ operationalStatus: status.errorType ? 'error' : 'OK' });

  if (state !== '' && state !== 'unmanaged') {
    if (settings.faults.failRegistration) {
      return status.errorType === 'registration error'
        ? {}
        : fail(status, 'registration error', 'Failed to validate BMC access', now);
    }
    if (status.errorType === 'registration error') return write({ errorType: undefined, operationalStatus: 'OK' });
  }
  if (settings.faults.hang === state) return {};

  const remaining = (step: SimStep) =>
    settings.delayMs[step] - (now.getTime() - Date.parse(status.lastUpdated ?? '1970-01-01T00:00:00Z'));
  const after = (step: SimStep, then: () => SimTransition): SimTransition => {
    const wait = remaining(step);
    return wait > 0 ? { requeueAfterMs: wait } : then();
  };

  switch (state) {
    case '':
      return host.spec.bmc ? register(write) : write({ state: 'unmanaged', operationalStatus: 'discovered' });
    case 'unmanaged':
      return host.spec.bmc ? register(write) : {};
    case 'registering':
      return after('registering', () => write({ state: 'inspecting', errorCount: 0 }));
    case 'inspecting':
      // BMO retries a failed inspection; here it is retried once the fault is lifted.
      if (status.errorType) return settings.faults.failInspection ? {} : write({ errorType: undefined });
      return after('inspecting', () =>
        settings.faults.failInspection
          ? fail(status, 'inspection error', 'Inspection failed: the ramdisk did not report back', now)
          : write({ state: 'preparing', hardware: inventory(host, settings), errorCount: 0 }),
      );
    case 'preparing':
      if (status.errorType) return settings.faults.failPreparation ? {} : write({ errorType: undefined });
      return after('preparing', () =>
        settings.faults.failPreparation
          ? fail(status, 'preparation error', 'Preparing the host failed: cleaning step raid failed', now)
          : write({ state: 'available', errorCount: 0 }),
      );
    case 'ready':
    case 'available':
      if (host.spec.externallyProvisioned) return {};
      if (host.spec.image?.url && host.spec.online === true) {
        return write({ state: 'provisioning', provisioning: { image: structuredClone(host.spec.image) } });
      }
      return followPower(host, status, settings, now, after);
    case 'provisioning':
      if (status.errorType || imageRemovedOrChanged(host, status)) return write({ state: 'deprovisioning' });
      return after('provisioning', () => provisioningOutcome(status, settings, now));
    case 'provisioned':
      if (imageRemovedOrChanged(host, status)) return write({ state: 'deprovisioning' });
      return followPower(host, status, settings, now, after);
    case 'deprovisioning':
      return after('deprovisioning', () =>
        write({
          state: 'available',
          errorType: undefined,
          errorCount: 0,
          poweredOn: false,
          provisioning: { image: undefined },
        }),
      );
    default:
      return {};
  }
}

/** Registration reads the power state from the BMC; simulated machines start switched off. */
function register(write: (changes: Partial<BmhStatus> & { state?: string }) => SimTransition): SimTransition {
  return write({ state: 'registering', operationalStatus: 'OK', poweredOn: false, errorCount: 0, errorMessage: '' });
}

function provisioningOutcome(status: BmhStatus, settings: HostSettings, now: Date): SimTransition {
  if (settings.faults.failPower) {
    return fail(status, 'power management error', 'Failed to power on the host: BMC did not respond', now);
  }
  const sim = (status.simulator ?? {}) as SimStatus;
  const failures = sim.provisioningFailures ?? 0;
  if (failures < settings.faults.failProvisioning) {
    const failed = fail(
      status,
      'provisioning error',
      `Image provisioning failed: deploy step write_image failed (attempt ${failures + 1})`,
      now,
    );
    if (failed.status) failed.status.simulator = { ...sim, provisioningFailures: failures + 1 };
    return failed;
  }
  return { status: applyChanges(status, { state: 'provisioned', poweredOn: true, errorCount: 0 }, now) };
}

/** In available and provisioned, BMO keeps the power state equal to `spec.online`. */
function followPower(
  host: BareMetalHost,
  status: BmhStatus,
  settings: HostSettings,
  now: Date,
  after: (step: SimStep, then: () => SimTransition) => SimTransition,
): SimTransition {
  const online = host.spec.online === true;
  if (status.errorType === 'power management error') {
    return settings.faults.failPower ? {} : { status: applyChanges(status, { errorType: undefined }, now) };
  }
  if ((status.poweredOn ?? false) === online) return {};
  return after('power', () =>
    settings.faults.failPower
      ? fail(
          status,
          'power management error',
          `Failed to power ${online ? 'on' : 'off'} the host: BMC did not respond`,
          now,
        )
      : { status: applyChanges(status, { poweredOn: online }, now) },
  );
}

function imageRemovedOrChanged(host: BareMetalHost, status: BmhStatus): boolean {
  const url = host.spec.image?.url;
  return !url || (status.provisioning?.image?.url !== undefined && status.provisioning.image.url !== url);
}

function fail(status: BmhStatus, errorType: BmhErrorType, errorMessage: string, now: Date): SimTransition {
  return {
    status: applyChanges(
      status,
      { errorType, errorMessage, errorCount: (status.errorCount ?? 0) + 1, operationalStatus: 'error' },
      now,
    ),
  };
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

/**
 * Applies a change the way BMO saves status: a new state, or an error being cleared, also clears
 * errorMessage and sets operationalStatus back to OK unless an error is being set.
 */
function applyChanges(status: BmhStatus, changes: Partial<BmhStatus> & { state?: string }, now: Date): BmhStatus {
  const { state, provisioning, ...rest } = changes;
  const next: BmhStatus = { ...structuredClone(status), ...rest, lastUpdated: now.toISOString() };
  if (state !== undefined || provisioning !== undefined) {
    next.provisioning = { ...next.provisioning, ...(state === undefined ? {} : { state }), ...provisioning };
    if (next.provisioning.image === undefined) delete next.provisioning.image;
  }
  const clearing = 'errorType' in changes && changes.errorType === undefined;
  if (clearing || (state === 'available' && !changes.errorType)) {
    delete next.errorType;
    next.errorMessage = '';
    next.operationalStatus = 'OK';
  }
  if (next.errorType === undefined) delete next.errorType;
  return next;
}
