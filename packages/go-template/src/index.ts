/**
 * Go text/template engine (with the Sprig/Helm functions used in cloud-init templates).
 *
 * Pure and deterministic: no Node built-ins, no I/O, no clocks or randomness, so it can run inside
 * Temporal workflow code. See values.ts for how JavaScript data maps onto Go types.
 */
import type { Tree } from './ast.js';
import { builtins } from './builtins.js';
import { TemplateError, TemplateExecError, TemplateLimitError, TemplateParseError } from './errors.js';
import { CHECKPOINT_STEPS, type Checkpoint } from './eval.js';
import {
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_MAX_STEPS,
  type ExecContext,
  MAX_EXEC_DEPTH,
  type MissingKey,
  State,
} from './exec.js';
import { type FieldProblem, checkFieldReferences } from './fieldCheck.js';
import type { FuncMap } from './functions.js';
import type { GoType } from './structs.js';
import { TreeParser } from './parser.js';
import { goQuote } from './quote.js';
import { sprigFuncs } from './sprig.js';
import { sprigCryptoFuncs } from './sprigCrypto.js';
import { sprigDictFuncs } from './sprigDicts.js';
import { sprigEncodingFuncs } from './sprigEncoding.js';
import { sprigListFuncs } from './sprigLists.js';
import { sprigNumberFuncs } from './sprigNumbers.js';
import { sprigPathFuncs } from './sprigPaths.js';
import { sprigSemverFuncs } from './sprigSemver.js';
import { sprigReflectFuncs } from './sprigReflect.js';
import { sprigRegexFuncs } from './sprigRegex.js';
import { sprigStringFuncs } from './sprigStrings.js';
import { tplFunc } from './tpl.js';

export { TemplateError, TemplateExecError, TemplateLimitError, TemplateParseError };
export type { TemplateLimit, TemplatePosition } from './errors.js';
export type { Checkpoint };
export { CHECKPOINT_STEPS, templatePosition } from './eval.js';
export { safeTemplateReason } from './safeReason.js';
export { GoFloat, GoStruct, goFloat } from './values.js';
export { type GoType, type StructField, goTypeName, toGoValue } from './structs.js';
export type { FieldProblem } from './fieldCheck.js';
export { MAX_EXEC_DEPTH, DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_MAX_STEPS };
export { MAX_PARSE_DEPTH } from './parser.js';

export interface ParseOptions {
  /** Custom action delimiters, e.g. ['[[', ']]']. Empty strings mean the defaults. */
  delims?: [string, string];
}

export interface ExecuteOptions {
  /** Go's Option("missingkey=..."): default prints "<no value>", zero uses the zero value, error fails. */
  missingKey?: MissingKey;
  /** Fail (without output) once the rendered text exceeds this many UTF-8 bytes. Default 4 MiB. */
  maxOutputBytes?: number;
  /**
   * Fail once range iterations, {{template}} calls and function calls together exceed this many.
   * Default DEFAULT_MAX_STEPS.
   */
  maxSteps?: number;
  /** Asked every `checkpointSteps` steps whether to stop (e.g. at a deadline); see Checkpoint. */
  checkpoint?: Checkpoint;
  /** Steps between checkpoints; default CHECKPOINT_STEPS. */
  checkpointSteps?: number;
}

/**
 * Sprig's functions, Helm's, then text/template's builtins (which keep their names: Sprig's `slice`
 * is shadowed by the builtin `slice`, which also slices strings).
 */
const FUNCS: FuncMap = {
  ...sprigFuncs,
  ...sprigStringFuncs,
  ...sprigNumberFuncs,
  ...sprigListFuncs,
  ...sprigDictFuncs,
  ...sprigReflectFuncs,
  ...sprigEncodingFuncs,
  ...sprigRegexFuncs,
  ...sprigPathFuncs,
  ...sprigSemverFuncs,
  ...sprigCryptoFuncs,
  tpl: tplFunc,
  ...builtins,
};
const BUILTIN_NAMES = new Set(Object.keys(builtins));
/** The Sprig and Helm functions templates can call, besides text/template's builtins. */
export const TEMPLATE_FUNCTIONS: readonly string[] = Object.keys(FUNCS)
  .filter((name) => !BUILTIN_NAMES.has(name))
  .sort();
const hasFunction = (name: string): boolean => Object.prototype.hasOwnProperty.call(FUNCS, name);

export class Template {
  private constructor(
    readonly name: string,
    private readonly trees: Map<string, Tree>,
  ) {}

  /** @internal */
  static parse(name: string, text: string, options?: ParseOptions): Template {
    const [left, right] = options?.delims ?? ['', ''];
    let trees: Map<string, Tree>;
    try {
      trees = TreeParser.parse(name, text, left, right, hasFunction);
    } catch (e) {
      if (e instanceof TemplateParseError) throw e;
      if (e instanceof RangeError) throw new TemplateParseError(`template: ${name}: template nesting too deep`);
      throw e;
    }
    return new Template(name, trees);
  }

  /** Field references of the top-level template that cannot exist on data of Go type `root` (fieldCheck.ts). */
  fieldProblems(root: GoType): FieldProblem[] {
    const tree = this.trees.get(this.name);
    return tree === undefined ? [] : checkFieldReferences(tree, root);
  }

  /** Names of all templates defined (the top-level one and every define/block). */
  get templateNames(): string[] {
    return [...this.trees.keys()].sort();
  }

  /** Renders the template. Throws TemplateExecError; never returns partial output. */
  execute(data: unknown, options?: ExecuteOptions): string {
    const tree = this.trees.get(this.name);
    const ctx: ExecContext = {
      trees: this.trees,
      funcs: FUNCS,
      builtinNames: BUILTIN_NAMES,
      missingKey: options?.missingKey ?? 'default',
      maxOutputBytes: options?.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      out: '',
      outBytes: -1,
      maxSteps: options?.maxSteps ?? DEFAULT_MAX_STEPS,
      steps: 0,
      checkpoint: options?.checkpoint,
      checkpointSteps: Math.max(1, options?.checkpointSteps ?? CHECKPOINT_STEPS),
    };
    if (tree === undefined) {
      throw new TemplateExecError(`template: ${goQuote(this.name)} is an incomplete or empty template`);
    }
    const dot = data === null ? undefined : data;
    const state = new State(ctx, tree, dot, 0);
    try {
      state.walk(dot, tree.root);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      if (e instanceof RangeError) {
        throw new TemplateExecError(`template: ${this.name}: exceeded maximum template depth (stack overflow)`);
      }
      throw e;
    }
    return ctx.out;
  }
}

/** Parses a Go text/template. Throws TemplateParseError with Go's message. */
export function parseTemplate(name: string, text: string, options?: ParseOptions): Template {
  return Template.parse(name, text, options);
}

/** Parses and executes in one go. */
export function renderTemplate(
  name: string,
  text: string,
  data: unknown,
  options?: ParseOptions & ExecuteOptions,
): string {
  return parseTemplate(name, text, options).execute(data, options);
}
