/** Errors thrown by the Go text/template engine. Messages follow Go's wording exactly. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** A template that does not parse: `template: NAME:LINE: message`. */
export class TemplateParseError extends TemplateError {
  override name = 'TemplateParseError';
}

/** A template that fails while executing: `template: NAME:LINE:COL: executing "NAME" at <node>: message`. */
export class TemplateExecError extends TemplateError {
  override name = 'TemplateExecError';
}

/**
 * Internal: a function failed (Go's `error` return value). The executor wraps it into
 * `error calling NAME: message` at the current node.
 */
export class FuncError extends Error {
  override name = 'FuncError';
}
