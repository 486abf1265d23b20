/**
 * Helm's `tpl TEXT DATA`: renders TEXT as a template, seeing the calling template's `define`s,
 * and returns its output with `<no value>` removed (as Helm does). The nested template runs on
 * the caller's budget: its function calls and range iterations count against the same step limit,
 * its output is capped like the caller's, each nesting level counts towards the depth limit, and
 * the caller's checkpoint (the render deadline) is asked as before.
 */
import { TemplateExecError, TemplateLimitError, TemplateParseError, FuncError } from './errors.js';
import type { Evaluator, ExecContext } from './eval.js';
import { State } from './exec.js';
import type { GoFunc } from './functions.js';
import { TreeParser } from './parser.js';
import { goQuote } from './quote.js';

/**
 * Nested tpl calls allowed: each level takes far more of the JavaScript stack than a
 * `{{template}}` call, and no real template nests tpl more than a few levels.
 */
export const MAX_TPL_DEPTH = 100;

function tpl(ev: Evaluator, text: string, data: unknown): string {
  const parent = ev.ctx;
  const tplDepth = (parent.tplDepth ?? 0) + 1;
  if (tplDepth > MAX_TPL_DEPTH) ev.limitf('depth', `exceeded maximum tpl nesting depth (${MAX_TPL_DEPTH})`);
  const name = ev.tmpl.parseName;
  const wrap = (detail: string): FuncError =>
    new FuncError(`error during tpl function execution for ${goQuote(text)}: ${detail}`);
  let trees;
  try {
    trees = TreeParser.parse(name, text, '', '', (fn) => Object.prototype.hasOwnProperty.call(parent.funcs, fn));
  } catch (e) {
    if (!(e instanceof TemplateParseError)) throw e;
    // Helm's cleanupParseError: the location and the last part of Go's message.
    const parts = e.message.split(': ');
    throw wrap(`parse error at (${parts[1] ?? name}): ${parts[parts.length - 1] ?? ''}`);
  }
  const tree = trees.get(name);
  const ctx: ExecContext = { ...parent, trees: new Map([...parent.trees, ...trees]), out: '', outBytes: -1, tplDepth };
  const dot = data === null ? undefined : data;
  try {
    if (tree !== undefined) new State(ctx, tree, dot, ev.depth + 1).walk(dot, tree.root);
  } catch (e) {
    if (e instanceof TemplateLimitError || !(e instanceof TemplateExecError)) throw e;
    throw wrap(e.message);
  } finally {
    parent.steps = ctx.steps;
  }
  return ctx.out.replaceAll('<no value>', '');
}

export const tplFunc: GoFunc = { params: ['string', 'any'], stateful: true, fn: tpl };
