import type { BmhStatus } from '../api/bareMetalHost.js';

/**
 * How BMO writes a host's status, for the simulator: the fields it always sets, the operation
 * history it keeps per provisioning step, and what it clears together. Recorded from a real BMO
 * (test/fixtures/bmo/).
 */

/** Start and end of one run of a step; BMO writes unset times as null. */
export interface OperationMetric {
  start: string | null;
  end: string | null;
}

const OPERATIONS = {
  registering: 'register',
  inspecting: 'inspect',
  provisioning: 'provision',
  deprovisioning: 'deprovision',
};

/** The profile BMO assigns when nothing more specific matches, and the root device hint it implies. */
export const HARDWARE_PROFILE = 'unknown';
export const ROOT_DEVICE_HINTS = { deviceName: '/dev/sda' };

export type StatusChanges = Partial<BmhStatus> & { state?: string };

/** The status BMO writes when it first takes a host with BMC details into registering. */
export function registeringStatus(now: Date): BmhStatus {
  const unset = (): OperationMetric => ({ start: null, end: null });
  return {
    errorCount: 0,
    errorMessage: '',
    goodCredentials: {},
    triedCredentials: {},
    lastUpdated: now.toISOString(),
    operationHistory: {
      deprovision: unset(),
      inspect: unset(),
      provision: unset(),
      register: { start: now.toISOString(), end: null },
    },
    // BMO sets the operational status only once registration has been tried.
    operationalStatus: '',
    poweredOn: false,
    provisioning: { ID: '', bootMode: 'UEFI', image: { url: '' }, state: 'registering' },
  };
}

/**
 * Applies a change the way BMO saves status: lastUpdated is stamped; a new state ends the
 * previous step's operation and starts the next one's; clearing errorType (set to undefined)
 * also empties errorMessage and sets operationalStatus back to OK.
 */
export function applyChanges(status: BmhStatus, changes: StatusChanges, now: Date): BmhStatus {
  const { state, provisioning, ...rest } = changes;
  const next: BmhStatus = { ...structuredClone(status), ...structuredClone(rest), lastUpdated: now.toISOString() };
  const from = status.provisioning?.state ?? '';
  if (state !== undefined || provisioning !== undefined) {
    next.provisioning = {
      ...next.provisioning,
      ...structuredClone(provisioning),
      ...(state === undefined ? {} : { state }),
    };
  }
  if (state !== undefined && state !== from) recordStep(next, from, state, now);
  if ('errorType' in changes && changes.errorType === undefined) {
    next.errorMessage = '';
    next.operationalStatus = 'OK';
  }
  if (next.errorType === undefined) delete next.errorType;
  return next;
}

/** BMO times registering, inspecting, provisioning and deprovisioning: the end of one, the start of the next. */
function recordStep(status: BmhStatus, from: string, to: string, now: Date): void {
  const history = status.operationHistory as Record<string, OperationMetric> | undefined;
  if (!history) return;
  const ended = history[OPERATIONS[from as keyof typeof OPERATIONS]];
  if (ended?.start && !ended.end) ended.end = now.toISOString();
  const name = OPERATIONS[to as keyof typeof OPERATIONS] as string | undefined;
  const started = name ? history[name] : undefined;
  if (name && (!started?.start || started.end)) history[name] = { start: now.toISOString(), end: null };
}

/** An error as BMO records one: type, message, one more in the count, operational status error. */
export function errorChanges(status: BmhStatus, errorType: string, errorMessage: string): StatusChanges {
  return { errorType, errorMessage, errorCount: (status.errorCount ?? 0) + 1, operationalStatus: 'error' };
}
