import { TemplateLimitError } from '../src/index.js';

/** The TemplateLimitError `run` throws; any other outcome fails the test. */
export function limitError(run: () => unknown): TemplateLimitError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateLimitError) return error;
    throw error;
  }
  throw new Error('expected a TemplateLimitError');
}
