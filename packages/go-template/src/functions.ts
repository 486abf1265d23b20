/** Function table types shared by the executor, the builtins and the Sprig functions. */

/**
 * Go parameter types the executor understands:
 * - 'value'  reflect.Value: receives the raw value (`undefined` = invalid, `null` = nil interface).
 * - 'any'    interface{}: receives the value; invalid and nil both arrive as `null`.
 * - concrete Go types ('string', 'int', 'bool', 'float64', '[]interface {}', 'map[string]interface {}', …):
 *   values must be assignable (same Go type), literals must be of the right kind.
 */
export type ParamType = string;

export interface GoFunc {
  /** Parameter types; with `variadic`, the last one is the element type of the `...` parameter. */
  params: ParamType[];
  variadic?: boolean;
  /**
   * Called with the calling Evaluator first (for `tpl`, which runs a template on the caller's budget,
   * and `derivePassword`, which asks the caller's checkpoint as it goes).
   */
  stateful?: boolean;
  /** Receives `int` arguments beyond 2^53 as bigints (others get them as numbers). */
  exactInts?: boolean;
  /** Steps a call counts against the step budget, when more than one (a costly function). */
  steps?: number;
  /**
   * Further steps a call counts from its arguments, charged before it runs: functions whose work and
   * memory grow with an argument (`until 1000000000`, `repeat`) are stopped by the budget before they
   * allocate, as a `range` over as many elements would be.
   */
  cost?: (...args: never[]) => number | bigint;
  /** Implementation. Throw FuncError (or any Error) for Go's non-nil `error` result. */
  fn: (...args: never[]) => unknown;
}

export type FuncMap = Record<string, GoFunc>;

/** Shorthand constructor. */
export function goFunc(params: ParamType[], fn: GoFunc['fn'], variadic = false): GoFunc {
  return { params, fn, variadic };
}
