import { isCancellation, patched } from '@temporalio/workflow';
import type { MachinePhase } from '../contracts/machineContract.js';
import { failureType, isRetryableFailure, isTimeout } from './failureCause.js';
import { type MachineState, describeDuration, errorMessage } from './machineState.js';

/**
 * What the lifecycle does when a step fails, named once per step instead of written as a loop each:
 * - `waitForHost`: WaitingForHost, tried again after a backoff (5 s doubling to 5 min), or at once
 *   on the operator's `retry`. No host free is not a failure.
 * - `askOperator`: Stuck until the operator's `retry` (or, while provisioning, `release`).
 * - `askOperatorOrRecheck`: as `askOperator`, and a failure the activity marked retryable (a pinned
 *   host in error, an exhausted pool) is also tried again by itself, backing off to every 5 min.
 * A failure the policy does not name goes on: the Machine is released and ends Failed.
 */
export type Remedy = 'waitForHost' | 'askOperator' | 'askOperatorOrRecheck';

export interface RetryPolicy {
  /** The step as the Stuck details name it: "Claiming the pinned host". */
  readonly what: string;
  /** The remedy for each failure type the step may end with; `everyFailure` stands for all of them. */
  readonly remedies: Readonly<Record<string, Remedy>>;
  /** The remedy when the step timed out; absent, a timeout goes on like an unnamed failure. */
  readonly onTimeout?: Remedy;
  /** The step's deadline, for the Stuck details of a timeout. */
  readonly deadlineMs?: number;
  /** Failures tried again at once before the operator is asked (BMO retrying the same host); default 1. */
  readonly attempts?: number;
  /** Failed attempts are counted: in the Stuck details and the Machine's `provisionAttempts`. */
  readonly countsProvisionAttempts?: boolean;
  /** The operator's `retry --other-host` ends the step with OTHER_HOST instead of trying it again. */
  readonly otherHostMoves?: boolean;
  /** Releasing: the operator can only `retry`; `release` is what is already happening. */
  readonly releasing?: boolean;
}

/** Stands for every failure type in `remedies`. */
export const EVERY_FAILURE = '*';

/** The operator asked to move the Machine to another host. */
export const OTHER_HOST = Symbol('otherHost');

/** Stuck steps whose cause can go away by itself are tried again on a timer; histories from before do not. */
export const RECHECK_STUCK_STEPS_PATCH = 'recheck-self-healing-stuck-steps';

const HOST_WAIT = { firstMs: 5_000, maxMs: 300_000 };
const RECHECK = { firstMs: 10_000, maxMs: 300_000 };

function remedyFor(policy: RetryPolicy, err: unknown): Remedy | undefined {
  const everyFailure = policy.remedies[EVERY_FAILURE];
  if (everyFailure) return everyFailure;
  if (policy.onTimeout && isTimeout(err)) return policy.onTimeout;
  return policy.remedies[failureType(err) ?? ''];
}

function stuckWhat(policy: RetryPolicy, err: unknown, failedAttempts: number): string {
  if (isTimeout(err) && policy.deadlineMs !== undefined)
    return `${policy.what} passed its deadline of ${describeDuration(policy.deadlineMs)}`;
  return policy.countsProvisionAttempts ? `${policy.what} failed ${failedAttempts} time(s)` : policy.what;
}

/**
 * Runs a step until it succeeds, meeting each failure with the policy's remedy. `run` is told
 * whether an attempt before it failed. Resolves with the step's result, or OTHER_HOST when the
 * policy lets the operator move the Machine; rejects with a failure the policy does not name, or
 * when the workflow is cancelled.
 */
export async function retrying<T>(
  state: MachineState,
  policy: RetryPolicy & { otherHostMoves: true },
  run: (afterFailure: boolean) => Promise<T>,
): Promise<T | typeof OTHER_HOST>;
export async function retrying<T>(
  state: MachineState,
  policy: RetryPolicy,
  run: (afterFailure: boolean) => Promise<T>,
): Promise<T>;
export async function retrying<T>(
  state: MachineState,
  policy: RetryPolicy,
  run: (afterFailure: boolean) => Promise<T>,
): Promise<T | typeof OTHER_HOST> {
  let afterFailure = false;
  let failedAttempts = 0;
  let hostWaitMs = HOST_WAIT.firstMs;
  let recheckMs = RECHECK.firstMs;
  // The phase to show again once a Stuck step runs on.
  let phaseBefore: MachinePhase | undefined;
  for (;;) {
    try {
      const result = await run(afterFailure);
      if (phaseBefore !== undefined) state.setPhase(phaseBefore);
      return result;
    } catch (err) {
      if (isCancellation(err)) throw err;
      const remedy = remedyFor(policy, err);
      if (remedy === undefined) throw err;
      afterFailure = true;
      if (remedy === 'waitForHost') {
        // The wait for a host is the phase now; a later Stuck starts its own rechecks over.
        phaseBefore = undefined;
        recheckMs = RECHECK.firstMs;
        state.setPhase(
          'WaitingForHost',
          `${errorMessage(err)}; retrying in ${hostWaitMs / 1000}s (send \`retry\` to look now)`,
        );
        await state.waitForRetryOrTimeout(hostWaitMs);
        hostWaitMs = Math.min(hostWaitMs * 2, HOST_WAIT.maxMs);
        continue;
      }
      failedAttempts += 1;
      if (policy.countsProvisionAttempts) state.countProvisionAttempt();
      if (!isTimeout(err) && failedAttempts < (policy.attempts ?? 1)) continue;
      phaseBefore ??= state.status.phase;
      const recheck =
        remedy === 'askOperatorOrRecheck' && isRetryableFailure(err) && patched(RECHECK_STUCK_STEPS_PATCH);
      const request = await state.waitForOperator(stuckWhat(policy, err, failedAttempts), errorMessage(err), {
        ...(policy.releasing && { releasing: true }),
        ...(policy.otherHostMoves && { otherHostMoves: true }),
        ...(recheck && { recheckAfterMs: recheckMs }),
      });
      recheckMs = Math.min(recheckMs * 2, RECHECK.maxMs);
      // A timed recheck stays Stuck until the step succeeds; the operator's retry shows it running again.
      if (request === undefined) continue;
      state.setPhase(phaseBefore, `${policy.what}: trying again${state.onHost()}`);
      phaseBefore = undefined;
      failedAttempts = 0;
      if (request.otherHost && policy.otherHostMoves) return OTHER_HOST;
    }
  }
}
