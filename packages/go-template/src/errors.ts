/** Errors thrown by the Go text/template engine. Messages follow Go's wording exactly. */

/** Where in a template an error arose: the top-level template's name, 1-based line, Go's 0-based byte column. */
export interface TemplatePosition {
  readonly name: string;
  readonly line: number;
  /** Absent for parse errors, which Go reports by line only. */
  readonly col?: number;
}

/**
 * The parts of an error beyond its Go message, so that callers can describe it without quoting the
 * template: Go's message quotes node text and values, which may be secret.
 */
export interface TemplateErrorDetail {
  readonly position?: TemplatePosition;
  /** Go's reason (the message after the location and node). */
  readonly reason: string;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
  readonly position: TemplatePosition | undefined;
  readonly reason: string;

  constructor(message: string, detail?: TemplateErrorDetail) {
    super(message);
    this.position = detail?.position;
    this.reason = detail?.reason ?? message;
  }
}

/** A template that does not parse: `template: NAME:LINE: message`. */
export class TemplateParseError extends TemplateError {
  override name = 'TemplateParseError';
}

/** A template that fails while executing: `template: NAME:LINE:COL: executing "NAME" at <node>: message`. */
export class TemplateExecError extends TemplateError {
  override name = 'TemplateExecError';
}

/** The limits a template's execution runs under; exceeding one is a TemplateLimitError. */
export type TemplateLimit = 'steps' | 'outputBytes' | 'depth' | 'deadline';

/**
 * Execution stopped because the template exceeded one of its limits (step budget, output size,
 * nesting depth, or the caller's deadline). Its reason names the limit and its value.
 */
export class TemplateLimitError extends TemplateExecError {
  override name = 'TemplateLimitError';

  constructor(
    message: string,
    readonly limit: TemplateLimit,
    detail: TemplateErrorDetail,
  ) {
    super(message, detail);
  }
}

/**
 * Internal: a function failed (Go's `error` return value). The executor wraps it into
 * `error calling NAME: message` at the current node.
 */
export class FuncError extends Error {
  override name = 'FuncError';
}
