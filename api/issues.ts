import { formatPath, type FieldPath } from './fieldPath.js';

/** One problem in a document: where it is and what is wrong, in words a user can act on. */
export interface ConfigIssue {
  readonly path: FieldPath;
  readonly message: string;
}

/** `spec.metal3.clusterRef.cluster: is required` — the path is omitted for whole-document problems. */
export function formatIssue(issue: ConfigIssue): string {
  const path = formatPath(issue.path);
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** Thrown when configuration read at run time (not through `validate`) is invalid. */
export class ConfigValidationError extends Error {
  constructor(
    readonly subject: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(`${subject} is invalid:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Renders a value in a message the way it appeared in YAML, never as `[object Object]`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value;
}
