import { ApplicationFailure } from '@temporalio/common';
import type { HostFailureType } from '../../contracts/hostFailureTypes.js';

export function hostFailure(
  type: HostFailureType,
  message: string,
  options: { nonRetryable: boolean; details?: unknown },
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: options.nonRetryable,
    details: options.details === undefined ? undefined : [options.details],
  });
}
