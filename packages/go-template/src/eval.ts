/** Expression evaluation of the executor (pipelines, commands, fields, calls, arguments): Go's exec.go. */
import type {
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  Node,
  NumberNode,
  PipeNode,
  Tree,
  VariableNode,
} from './ast.js';
import { nodeString } from './ast.js';
import { TemplateExecError, TemplateLimitError, type TemplateLimit, type TemplatePosition } from './errors.js';
import { formatValue } from './fmt.js';
import { parseGoInt } from './number.js';
import type { FuncMap, GoFunc, ParamType } from './functions.js';
import { goQuote } from './quote.js';
import { utf8Length } from './utf8.js';
import {
  GoComplex,
  GoFloat,
  GoStruct,
  GoTypedInt,
  elemTypeOf,
  isGoMap,
  isTrue,
  mapGet,
  mapHas,
  typeName,
  zeroOf,
} from './values.js';

export type MissingKey = 'default' | 'zero' | 'error';

/** Sentinel for "no final (piped) argument". */
export const MISSING: unique symbol = Symbol('missing');
export type Final = unknown;

export interface Variable {
  name: string;
  value: unknown;
  iface: boolean;
}

/** Shared, per-execution state (output, options). */
export interface ExecContext {
  trees: Map<string, Tree>;
  funcs: FuncMap;
  builtinNames: Set<string>;
  missingKey: MissingKey;
  maxOutputBytes: number;
  out: string;
  /** UTF-8 length of `out`, tracked once it could exceed the limit (-1 until then). */
  outBytes: number;
  /** The step budget: range iterations, {{template}} calls and function calls together. */
  maxSteps: number;
  steps: number;
  /** The caller's check, run every `checkpointSteps` steps (see ExecuteOptions.checkpoint). */
  checkpoint: Checkpoint | undefined;
  checkpointSteps: number;
  /** How many `tpl` calls deep execution is (each runs a nested template on this budget). */
  tplDepth?: number;
}

/**
 * Called as execution goes on with where it is: `where()` computes the position (it scans the
 * text, so only when needed), `offset` is the current node's offset in the template text (see
 * templatePosition). Returning a reason stops execution with a TemplateLimitError for the `deadline`
 * limit at that position: this is how a caller with a clock bounds the time a template runs while
 * the engine itself stays clock-free.
 */
export type Checkpoint = (where: () => TemplatePosition, offset: number) => string | undefined;

/** Default steps between checkpoints: rare enough to cost nothing, frequent enough to stop within milliseconds. */
export const CHECKPOINT_STEPS = 1024;

/** Go's position of `offset` in `text`: 1-based line, 0-based byte column on that line. */
export function templatePosition(name: string, text: string, offset: number): TemplatePosition {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const col = lineStart === 0 ? utf8Length(text.slice(0, offset)) : utf8Length(text.slice(lineStart, offset));
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { name, line, col };
}

/** The expression half of the executor; State (exec.ts) adds the walk over the template. */
export abstract class Evaluator {
  node: Node | null = null;
  vars: Variable[];
  dotIface = false;
  /** Side channel from evalField: whether the returned value is statically interface{}-typed. */
  protected lastIface = false;

  constructor(
    readonly ctx: ExecContext,
    readonly tmpl: Tree,
    dot: unknown,
    readonly depth: number,
  ) {
    this.vars = [{ name: '$', value: dot, iface: false }];
  }

  /** Where the current node is: Go's `NAME:LINE:COL` (COL a 0-based byte column). */
  position(): TemplatePosition | undefined {
    if (this.node === null) return undefined;
    return templatePosition(this.tmpl.parseName, this.tmpl.text, this.node.pos);
  }

  /** Go's message: `template: NAME:LINE:COL: executing "TMPL" at <node>: msg`. */
  private message(msg: string, position: TemplatePosition | undefined): string {
    if (position === undefined || this.node === null) return `template: ${this.tmpl.name}: ${msg}`;
    const loc = `${position.name}:${position.line}:${position.col ?? 0}`;
    return `template: ${loc}: executing ${goQuote(this.tmpl.name)} at <${nodeString(this.node)}>: ${msg}`;
  }

  errorf(msg: string): never {
    const position = this.position();
    throw new TemplateExecError(this.message(msg, position), { ...(position && { position }), reason: msg });
  }

  /** Stops execution at the current node because `limit` was exceeded; `msg` names the limit and its value. */
  limitf(limit: TemplateLimit, msg: string): never {
    const position = this.position();
    throw new TemplateLimitError(this.message(msg, position), limit, { ...(position && { position }), reason: msg });
  }

  /**
   * Counts units of work against the budget: one for a range iteration, template call or function
   * call, a function's `steps` for a costly one (derivePassword).
   */
  protected step(n = 1): void {
    const ctx = this.ctx;
    ctx.steps += n;
    if (ctx.steps > ctx.maxSteps) {
      this.limitf(
        'steps',
        `exceeded the step budget of ${ctx.maxSteps} (range iterations, template and function calls)`,
      );
    }
    // Whether the count passed a multiple of checkpointSteps (for n = 1: reached one).
    if (ctx.checkpoint !== undefined && ctx.steps % ctx.checkpointSteps < n) this.checkpoint();
  }

  /** Charges a function's cost from its arguments, at most past the budget (a cost may not fit a number). */
  private chargeCost(cost: number | bigint): void {
    const left = this.ctx.maxSteps - this.ctx.steps + 1;
    const steps = typeof cost === 'bigint' ? (cost > BigInt(left) ? left : Number(cost)) : Math.min(cost, left);
    if (steps > 0) this.step(Math.ceil(steps));
  }

  /** Asks the caller's checkpoint whether to stop; also called from within a long function call. */
  checkpoint(): void {
    const ctx = this.ctx;
    if (ctx.checkpoint === undefined) return;
    const where = () => this.position() ?? { name: this.tmpl.parseName, line: 1, col: 0 };
    const stop = ctx.checkpoint(where, this.node?.pos ?? 0);
    if (stop !== undefined) this.limitf('deadline', stop);
  }

  protected varValue(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) return v;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  protected setVar(name: string, value: unknown, iface: boolean): void {
    const v = this.varValue(name);
    v.value = value;
    v.iface = iface;
  }

  evalPipeline(dot: unknown, pipe: PipeNode | null): unknown {
    if (pipe === null) return undefined;
    this.node = pipe;
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      if (value === null) value = undefined; // interface{} holding nil: dig down to "no value".
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0] ?? '', value, false);
      else this.vars.push({ name: v.ident[0] ?? '', value, iface: false });
    }
    return value;
  }

  protected notAFunction(args: Node[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString((args as Node[])[0] as Node)}`);
    }
  }

  protected evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0] as Node;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
        break;
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
    this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
  }

  protected idealConstant(c: NumberNode): unknown {
    this.node = c;
    if (c.isComplex) return new GoComplex(c.complex[0], c.complex[1]);
    const isHexInt =
      c.text.length > 2 && c.text[0] === '0' && (c.text[1] === 'x' || c.text[1] === 'X') && !/[pP]/.test(c.text);
    const isRuneInt = c.text.startsWith("'");
    if (c.isFloat && !isHexInt && !isRuneInt && /[.eEpP]/.test(c.text)) return new GoFloat(c.float);
    if (c.isInt) return c.big ?? c.int;
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return undefined;
  }

  protected evalFieldNode(dot: unknown, field: FieldNode, args: Node[] | null, final: Final): unknown {
    this.node = field;
    return this.evalFieldChain(dot, dot, this.dotIface, field, field.ident, args, final);
  }

  protected evalChainNode(dot: unknown, chain: ChainNode, args: Node[] | null, final: Final): unknown {
    this.node = chain;
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, false, chain, chain.field, args, final);
  }

  protected evalVariableNode(dot: unknown, variable: VariableNode, args: Node[] | null, final: Final): unknown {
    this.node = variable;
    const v = this.varValue(variable.ident[0] ?? '');
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return v.value;
    }
    return this.evalFieldChain(dot, v.value, v.iface, variable, variable.ident.slice(1), args, final);
  }

  protected evalFieldChain(
    dot: unknown,
    receiver: unknown,
    iface: boolean,
    node: Node,
    ident: string[],
    args: Node[] | null,
    final: Final,
  ): unknown {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) {
      receiver = this.evalField(dot, node, ident[i] ?? '', null, MISSING, receiver, iface);
      iface = this.lastIface;
    }
    return this.evalField(dot, node, ident[n - 1] ?? '', args, final, receiver, iface);
  }

  protected evalField(
    dot: unknown,
    node: Node,
    fieldName: string,
    args: Node[] | null,
    final: Final,
    receiver: unknown,
    iface: boolean,
  ): unknown {
    this.lastIface = false;
    if (receiver === undefined) {
      if (this.ctx.missingKey === 'error') this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    const typ = iface || receiver === null ? 'interface {}' : typeName(receiver);
    if (receiver === null) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (receiver instanceof GoStruct) {
      // Go looks up a method before a field; a method with no arguments reads like a field.
      const method = receiver.methods.get(fieldName);
      if (method !== undefined) return this.evalCall(dot, method, false, node, fieldName, args, final);
      if (!receiver.hasField(fieldName)) this.errorf(`can't evaluate field ${fieldName} in type ${receiver.type}`);
      if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
      const value = receiver.field(fieldName);
      return value === undefined ? null : value;
    }
    if (
      isGoMap(receiver) &&
      !(receiver instanceof Map && receiver.size > 0 && typeof receiver.keys().next().value !== 'string')
    ) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const elemType = elemTypeOf(receiver);
      this.lastIface = elemType === 'interface {}';
      const result = mapGet(receiver, fieldName);
      if (result !== undefined) return result;
      if (mapHas(receiver, fieldName)) return null;
      switch (this.ctx.missingKey) {
        case 'zero':
          return zeroOf(elemType);
        case 'error':
          this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
          break;
        default:
          return undefined;
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  protected evalFunction(dot: unknown, node: IdentifierNode, cmd: Node, args: Node[] | null, final: Final): unknown {
    this.node = node;
    const name = node.ident;
    let fn = node.fn;
    if (fn === undefined) {
      fn = Object.prototype.hasOwnProperty.call(this.ctx.funcs, name) ? this.ctx.funcs[name] : undefined;
      if (fn === undefined) this.errorf(`${goQuote(name)} is not a defined function`);
      node.fn = fn;
      node.builtin = this.ctx.builtinNames.has(name);
    }
    return this.evalCall(dot, fn, node.builtin === true, cmd, name, args, final);
  }

  protected evalCall(
    dot: unknown,
    fun: GoFunc,
    isBuiltin: boolean,
    node: Node,
    name: string,
    allArgs: Node[] | null,
    final: Final,
  ): unknown {
    this.step(fun.steps);
    const args = allArgs !== null ? allArgs.slice(1) : [];
    const params = fun.params;
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    let numFixed = args.length;
    if (fun.variadic) {
      numFixed = params.length - 1;
      if (numIn < numFixed) {
        this.errorf(`wrong number of args for ${name}: want at least ${params.length - 1} got ${args.length}`);
      }
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: unknown = undefined;
      for (const arg of args) {
        v = this.evalArg(dot, 'value', arg);
        if (isTrue(v === null ? undefined : v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, 'value');
      return v;
    }

    const argv: unknown[] = new Array(numIn);
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv[i] = this.evalArg(dot, params[i], args[i] as Node);
    if (fun.variadic) {
      const argType = params[params.length - 1];
      for (; i < args.length; i++) argv[i] = this.evalArg(dot, argType, args[i] as Node);
    }
    if (final !== MISSING) {
      let t = params[params.length - 1];
      if (fun.variadic && numIn - 1 < numFixed) t = params[numIn - 1];
      argv[i] = this.validateType(final, t);
    }
    if (fun.exactInts !== true) {
      // A Go int beyond 2^53 (a bigint) reaches an `int` parameter as a number unless the function
      // counts with it exactly (seq, until); lengths and widths that large behave alike either way.
      argv.forEach((a, j) => {
        if (typeof a === 'bigint' && params[Math.min(j, params.length - 1)] === 'int') argv[j] = Number(a);
      });
    }
    if (fun.cost !== undefined) {
      this.node = node;
      this.chargeCost((fun.cost as (...a: unknown[]) => number | bigint)(...argv));
    }
    if (fun.stateful === true) argv.unshift(this);
    if (isBuiltin && name === 'call') {
      const calleeName = args.length === 0 ? formatValue(final) : nodeString(args[0] as Node);
      argv.unshift(calleeName);
    }
    try {
      return (fun.fn as (...a: unknown[]) => unknown)(...argv);
    } catch (e) {
      if (e instanceof TemplateExecError || e instanceof RangeError) throw e;
      this.node = node;
      this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  protected validateType(value: unknown, typ: ParamType | undefined): unknown {
    if (value === undefined) {
      if (typ === undefined) return null;
      if (typ === 'value') return undefined;
      if (canBeNil(typ)) return null;
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === undefined || typ === 'value' || typ === 'any') return value;
    if (value === null) {
      // A nil interface{} is not assignable to a concrete type.
      this.errorf(`wrong type for value; expected ${typ}; got interface {}`);
    }
    const actual = typeName(value);
    if (actual !== typ) this.errorf(`wrong type for value; expected ${typ}; got ${actual}`);
    return value;
  }

  protected evalArg(dot: unknown, typ: ParamType | undefined, n: Node): unknown {
    this.node = n;
    switch (n.type) {
      case 'dot':
        return this.validateType(dot === undefined ? undefined : dot, typ);
      case 'nil':
        if (typ === undefined || canBeNil(typ)) return typ === 'value' ? undefined : null;
        this.errorf(`cannot assign nil to ${typ}`);
        break;
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        this.errorf(`expected bool; found ${nodeString(n)}`);
        break;
      case 'float64':
        if (n.type === 'number' && n.isFloat) return new GoFloat(n.float);
        this.errorf(`expected float; found ${nodeString(n)}`);
        break;
      case 'int':
        if (n.type === 'number' && n.isInt) return n.big ?? n.int;
        this.errorf(`expected integer; found ${nodeString(n)}`);
        break;
      case 'uint32':
        // Go sets the literal into the parameter, keeping its low 32 bits.
        if (n.type === 'number' && n.isUint) return new GoTypedInt('uint32', Number(uintLiteral(n) & 0xffffffffn));
        this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
        break;
      case 'string':
        if (n.type === 'string') return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
        break;
      case 'any':
      case 'value':
        return this.evalEmptyInterface(dot, n);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ ?? '<nil>'}`);
  }

  protected evalEmptyInterface(dot: unknown, n: Node): unknown {
    this.node = n;
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }
}

/** Drops variables pushed after `mark` (faster than assigning `length`). */
export function truncate(vars: Variable[], mark: number): void {
  while (vars.length > mark) vars.pop();
}

/** An unsigned literal's exact value (`uint` is rounded beyond 2^53; a float literal's is exact). */
function uintLiteral(n: NumberNode): bigint {
  return parseGoInt(n.text) ?? BigInt(n.uint);
}

function canBeNil(typ: ParamType): boolean {
  return typ === 'any' || typ === 'value' || typ.startsWith('[]') || typ.startsWith('map[') || typ.startsWith('func');
}
