/** Executor: a port of Go's text/template/exec.go over the value model of values.ts. */
import type {
  ActionNode,
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  Tree,
  VariableNode,
} from './ast.js';
import { nodeString } from './ast.js';
import { TemplateExecError } from './errors.js';
import { formatValue } from './fmt.js';
import type { FuncMap, GoFunc, ParamType } from './functions.js';
import { goQuote } from './quote.js';
import { utf8Length } from './utf8.js';
import {
  GoComplex,
  GoFloat,
  GoTypedInt,
  elemTypeOf,
  isGoMap,
  isTrue,
  kindOf,
  mapGet,
  mapHas,
  sortedKeys,
  typeName,
  zeroOf,
} from './values.js';

/** Nested {{template}} calls allowed (Go: 100000; lower here to stay within the JS stack). */
export const MAX_EXEC_DEPTH = 1000;
/** Default cap on rendered output. */
export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export type MissingKey = 'default' | 'zero' | 'error';

/** Sentinel for "no final (piped) argument". */
const MISSING: unique symbol = Symbol('missing');
type Final = unknown;

/** {{break}} and {{continue}} unwind to their range loop as these (preallocated) signals. */
class LoopSignal extends Error {}
const BREAK = new LoopSignal('break');
const CONTINUE = new LoopSignal('continue');

interface Variable {
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
  /** UTF-16 length already known to be within the byte limit. */
  checkedUpTo: number;
}

export class State {
  node: Node | null = null;
  vars: Variable[];
  dotIface = false;
  /** Side channel from evalField: whether the returned value is statically interface{}-typed. */
  private lastIface = false;

  constructor(
    readonly ctx: ExecContext,
    readonly tmpl: Tree,
    dot: unknown,
    readonly depth: number,
  ) {
    this.vars = [{ name: '$', value: dot, iface: false }];
  }

  errorf(msg: string): never {
    const name = this.tmpl.name;
    if (this.node === null) throw new TemplateExecError(`template: ${name}: ${msg}`);
    const pos = this.node.pos;
    const text = this.tmpl.text;
    const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
    const col = lineStart === 0 ? utf8Length(text.slice(0, pos)) : utf8Length(text.slice(lineStart, pos));
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
    const loc = `${this.tmpl.parseName}:${line}:${col}`;
    throw new TemplateExecError(`template: ${loc}: executing ${goQuote(name)} at <${nodeString(this.node)}>: ${msg}`);
  }

  private write(s: string): void {
    const ctx = this.ctx;
    ctx.out += s;
    // Cheap check first: UTF-8 is at most 3 bytes per UTF-16 unit.
    if (ctx.out.length * 3 > ctx.maxOutputBytes) {
      if (ctx.out.length > ctx.maxOutputBytes || utf8Length(ctx.out) > ctx.maxOutputBytes) {
        this.errorf(`output exceeds the limit of ${ctx.maxOutputBytes} bytes`);
      }
    }
  }

  private varValue(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) return v;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: unknown, iface: boolean): void {
    const v = this.varValue(name);
    v.value = value;
    v.iface = iface;
  }

  walk(dot: unknown, node: Node): void {
    this.node = node;
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'text':
        this.write(node.text);
        return;
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'if':
      case 'with':
        this.walkIfOrWith(dot, node);
        return;
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'comment':
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): void {
    const mark = this.vars.length;
    const savedIface = this.dotIface;
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(val)) {
        if (node.type === 'with') {
          this.dotIface = false;
          this.walk(val, node.list);
        } else this.walk(dot, node.list);
      } else if (node.elseList !== null) {
        this.walk(dot, node.elseList);
      }
    } finally {
      this.dotIface = savedIface;
      truncate(this.vars, mark);
    }
  }

  private walkRange(dot: unknown, r: BranchNode): void {
    this.node = r;
    const mark = this.vars.length;
    const savedIface = this.dotIface;
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark2 = this.vars.length;
      const decl = r.pipe.decl;
      const oneIteration = (index: unknown, elem: unknown, elemIface: boolean): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            if (decl.length > 1) this.setVar(decl[0]?.ident[0] ?? '', index, false);
            else this.setVar(decl[0]?.ident[0] ?? '', elem, elemIface);
          } else {
            const top = this.vars[this.vars.length - 1] as Variable;
            top.value = elem;
            top.iface = elemIface;
          }
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]?.ident[0] ?? '', elem, elemIface);
          else {
            const v = this.vars[this.vars.length - 2] as Variable;
            v.value = index;
            v.iface = false;
          }
        }
        this.dotIface = elemIface;
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          truncate(this.vars, mark2);
        }
      };
      let ran = false;
      try {
        switch (kindOf(val)) {
          case 'int':
          case 'uint': {
            if (decl.length > 1) this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
            const n = val instanceof GoTypedInt ? val.v : (val as number);
            for (let i = 0; i < n; i++) {
              ran = true;
              oneIteration(undefined, val instanceof GoTypedInt ? new GoTypedInt(val.type, i) : i, false);
            }
            break;
          }
          case 'slice': {
            const arr = val as unknown[];
            const iface = elemTypeOf(arr) === 'interface {}';
            for (let i = 0; i < arr.length; i++) {
              ran = true;
              oneIteration(i, arr[i] === undefined ? null : arr[i], iface);
            }
            break;
          }
          case 'map': {
            const m = val as object;
            const iface = elemTypeOf(m) === 'interface {}';
            for (const k of sortedKeys(m)) {
              ran = true;
              const v = mapGet(m, k);
              oneIteration(k, v === undefined ? null : v, iface);
            }
            break;
          }
          case 'invalid':
          case 'nil':
            break;
          default:
            this.errorf(`range can't iterate over ${formatValue(val)}`);
        }
      } catch (e) {
        if (e !== BREAK) throw e;
      }
      if (!ran && r.elseList !== null) {
        this.dotIface = savedIface;
        this.walk(dot, r.elseList);
      }
    } finally {
      this.dotIface = savedIface;
      truncate(this.vars, mark);
    }
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.node = t;
    const tmpl = this.ctx.trees.get(t.name);
    if (tmpl === undefined) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth >= MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    const s = new State(this.ctx, tmpl, newDot, this.depth + 1);
    s.walk(newDot, tmpl.root);
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

  private notAFunction(args: Node[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString((args as Node[])[0] as Node)}`);
    }
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
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

  private idealConstant(c: NumberNode): unknown {
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

  private evalFieldNode(dot: unknown, field: FieldNode, args: Node[] | null, final: Final): unknown {
    this.node = field;
    return this.evalFieldChain(dot, dot, this.dotIface, field, field.ident, args, final);
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: Node[] | null, final: Final): unknown {
    this.node = chain;
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, false, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: unknown, variable: VariableNode, args: Node[] | null, final: Final): unknown {
    this.node = variable;
    const v = this.varValue(variable.ident[0] ?? '');
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return v.value;
    }
    return this.evalFieldChain(dot, v.value, v.iface, variable, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(
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
      receiver = this.evalField(ident[i] ?? '', null, MISSING, receiver, iface);
      iface = this.lastIface;
    }
    return this.evalField(ident[n - 1] ?? '', args, final, receiver, iface);
  }

  private evalField(fieldName: string, args: Node[] | null, final: Final, receiver: unknown, iface: boolean): unknown {
    this.lastIface = false;
    if (receiver === undefined) {
      if (this.ctx.missingKey === 'error') this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    const typ = iface || receiver === null ? 'interface {}' : typeName(receiver);
    if (receiver === null) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
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

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: Node, args: Node[] | null, final: Final): unknown {
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

  private evalCall(
    dot: unknown,
    fun: GoFunc,
    isBuiltin: boolean,
    node: Node,
    name: string,
    allArgs: Node[] | null,
    final: Final,
  ): unknown {
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

  private validateType(value: unknown, typ: ParamType | undefined): unknown {
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

  private evalArg(dot: unknown, typ: ParamType | undefined, n: Node): unknown {
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
        if (n.type === 'number' && n.isInt) return n.int;
        this.errorf(`expected integer; found ${nodeString(n)}`);
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

  private evalEmptyInterface(dot: unknown, n: Node): unknown {
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

  private printValue(n: ActionNode, v: unknown): void {
    this.node = n;
    if (typeof v === 'function') this.errorf(`can't print ${nodeString(n)} of type ${typeName(v)}`);
    if (v === undefined) {
      this.write('<no value>');
      return;
    }
    this.write(typeof v === 'string' ? v : formatValue(v));
  }
}

/** Drops variables pushed after `mark` (faster than assigning `length`). */
function truncate(vars: Variable[], mark: number): void {
  while (vars.length > mark) vars.pop();
}

function canBeNil(typ: ParamType): boolean {
  return typ === 'any' || typ === 'value' || typ.startsWith('[]') || typ.startsWith('map[') || typ.startsWith('func');
}
