import { ApplicationFailure, patched } from '@temporalio/workflow';

/**
 * What a failed step says about itself: its failure type and whether it timed out. A remote
 * activity's failure reaches the workflow as an ActivityFailure whose cause is the activity's
 * ApplicationFailure; a local activity's arrives as that ApplicationFailure itself. Before this
 * patch only the first shape was recognised, so a short step's "wait and retry" failures (no host,
 * pinned host busy, pool exhausted) ended the Machine Failed; histories from then replay that way.
 */
export const FAILURE_CAUSE_PATCH = 'failure-cause-of-local-activities';

export function failureType(err: unknown): string | undefined {
  return applicationFailure(err)?.type ?? undefined;
}

/** True when the failure says waiting may help (the activity did not mark it non-retryable). */
export function isRetryableFailure(err: unknown): boolean {
  const failure = applicationFailure(err);
  return failure !== undefined && !failure.nonRetryable;
}

export function isTimeout(err: unknown): boolean {
  return causes(err).some((e) => e.name === 'TimeoutFailure');
}

function applicationFailure(err: unknown): ApplicationFailure | undefined {
  return causes(err).find((e): e is ApplicationFailure => e instanceof ApplicationFailure);
}

/** The failure and its cause, as far as this history's code looks. */
function causes(err: unknown): Error[] {
  if (!(err instanceof Error)) return [];
  const cause = err.cause instanceof Error ? [err.cause] : [];
  return patched(FAILURE_CAUSE_PATCH) ? [err, ...cause] : cause;
}
