import { describe, expect, it } from 'vitest';
import {
  decideNodeClaim,
  nextLookMs,
  type ClaimView,
  type MachineObservation,
} from '../../../controller/reconcileNodeClaim.js';
import type { MachinePhase, MachineStatus } from '../../../contracts/machineContract.js';

function statusOf(phase: MachinePhase): MachineStatus {
  return { machine: { namespace: 'ns', name: 'm', uid: 'u1' }, phase, provisionAttempts: 0, steps: [], properties: {} };
}

function machine(phase: MachinePhase, running = true): MachineObservation {
  return { kind: 'found', running, status: statusOf(phase) };
}

const live: ClaimView = { deleting: false, hasFinalizer: true, releaseRequested: false, started: false };
const deleting: ClaimView = { ...live, deleting: true };

describe('decideNodeClaim', () => {
  it('puts the finalizer on before anything else, so a deletion always goes through release', () => {
    expect(decideNodeClaim({ ...live, hasFinalizer: false }, { kind: 'absent' })).toBe('addFinalizer');
  });

  it('starts a Machine only when there is none for this claim and the spec is usable', () => {
    expect(decideNodeClaim(live, { kind: 'absent' })).toBe('start');
    expect(decideNodeClaim({ ...live, specProblem: 'names no node type' }, { kind: 'absent' })).toBe('reportInvalid');
    expect(decideNodeClaim(live, machine('Provisioning'))).toBe('report');
    // Once started, a workflow Temporal no longer has (past retention) is not started again.
    expect(decideNodeClaim({ ...live, started: true }, { kind: 'absent' })).toBe('report');
    // A Machine released out of band (e.g. from the CLI) is not started again while its claim lives.
    expect(decideNodeClaim(live, machine('Released', false))).toBe('report');
    expect(decideNodeClaim(live, { kind: 'foreign', status: statusOf('Ready') })).toBe('report');
    expect(decideNodeClaim(deleting, { kind: 'foreign', status: statusOf('Ready') })).toBe('removeFinalizer');
  });

  it('on deletion sends release once, waits while releasing, and lets go once the workflow has closed', () => {
    for (const phase of ['Pending', 'WaitingForHost', 'Provisioning', 'Ready', 'Stuck'] as const) {
      expect(decideNodeClaim(deleting, machine(phase))).toBe('release');
    }
    expect(decideNodeClaim({ ...deleting, releaseRequested: true }, machine('Provisioning'))).toBe('report');
    expect(decideNodeClaim({ ...deleting, releaseRequested: true }, machine('Stuck'))).toBe('report');
    expect(decideNodeClaim(deleting, machine('Releasing'))).toBe('report');
    expect(decideNodeClaim(deleting, machine('Released', false))).toBe('removeFinalizer');
    expect(decideNodeClaim(deleting, machine('Failed', false))).toBe('removeFinalizer');
    expect(decideNodeClaim(deleting, { kind: 'absent' })).toBe('removeFinalizer');
    expect(decideNodeClaim({ ...deleting, hasFinalizer: false }, machine('Ready'))).toBe('ignore');
  });
});

describe('nextLookMs', () => {
  const intervals = { pollMs: 3_000, settledMs: 60_000 };
  it('polls a moving Machine often, a settled one rarely, and a closed one never', () => {
    expect(nextLookMs(machine('Provisioning'), intervals)).toBe(3_000);
    expect(nextLookMs(machine('Releasing'), intervals)).toBe(3_000);
    expect(nextLookMs(machine('Ready'), intervals)).toBe(60_000);
    expect(nextLookMs(machine('Stuck'), intervals)).toBe(60_000);
    expect(nextLookMs(machine('Released', false), intervals)).toBeUndefined();
    expect(nextLookMs({ kind: 'absent' }, intervals)).toBeUndefined();
  });
});
