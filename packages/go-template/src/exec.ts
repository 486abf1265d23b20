/** Executor: a port of Go's text/template/exec.go (the walk over the template; expressions are in eval.ts). */
import type { ActionNode, BranchNode, Node, TemplateNode } from './ast.js';
import { nodeString } from './ast.js';
import { Evaluator, type Variable, truncate } from './eval.js';
import { formatValue } from './fmt.js';
import { goQuote } from './quote.js';
import { utf8Length } from './utf8.js';
import { GoTypedInt, elemTypeOf, isTrue, kindOf, mapGet, sortedKeys, typeName } from './values.js';

export type { ExecContext, MissingKey } from './eval.js';

/** Nested {{template}} calls allowed (Go: 100000; lower here to stay within the JS stack). */
export const MAX_EXEC_DEPTH = 1000;
/** Default cap on rendered output. */
export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
/**
 * Default step budget (range iterations + template calls + function calls). The spec's examples take
 * at most 16 steps, the benchmark's spec template with 50 SSH keys 50 and its 200-line template 362:
 * 100,000 leaves room for any real cloud-init template while `{{range 1000000000}}` stops within
 * about a tenth of a second.
 */
export const DEFAULT_MAX_STEPS = 100_000;

/** {{break}} and {{continue}} unwind to their range loop as these (preallocated) signals. */
class LoopSignal extends Error {}
const BREAK = new LoopSignal('break');
const CONTINUE = new LoopSignal('continue');

export class State extends Evaluator {
  private write(s: string): void {
    const ctx = this.ctx;
    ctx.out += s;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: count bytes only once the output could be too big,
    // then incrementally.
    if (ctx.outBytes >= 0) ctx.outBytes += utf8Length(s);
    else if (ctx.out.length * 3 > ctx.maxOutputBytes) ctx.outBytes = utf8Length(ctx.out);
    if (ctx.outBytes > ctx.maxOutputBytes) {
      this.limitf('outputBytes', `output exceeds the limit of ${ctx.maxOutputBytes} bytes`);
    }
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
        // Counted at the range itself, so that a runaway loop is reported where it starts.
        this.node = r;
        this.step();
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
    if (this.depth >= MAX_EXEC_DEPTH) this.limitf('depth', `exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    this.step();
    const newDot = this.evalPipeline(dot, t.pipe);
    const s = new State(this.ctx, tmpl, newDot, this.depth + 1);
    s.walk(newDot, tmpl.root);
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
