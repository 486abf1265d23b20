/**
 * Checks a parsed template's field references against the Go type of its data before it runs:
 * `.NodeClaim.metadata` on a struct without that field fails in Go's text/template at execution,
 * so it is reported at validation instead, with the field that was probably meant. Follows `.`
 * through `with` and `range` and variables bound to fields; anything whose type it cannot know
 * (function results, map values of interface type, `{{define}}`d templates) is not checked.
 */
import type { Node, PipeNode, Tree } from './ast.js';
import { templatePosition } from './eval.js';
import type { TemplatePosition } from './errors.js';
import { type GoType, fieldNames, goTypeName, lookupField } from './structs.js';

export interface FieldProblem {
  readonly position: TemplatePosition;
  /** Go's reason: `can't evaluate field metadata in type v1.NodeClaim`. */
  readonly reason: string;
  /** The reference as written up to the bad field: `.NodeClaim.metadata`. */
  readonly reference: string;
  /** The reference probably meant: `.NodeClaim.Name`. */
  readonly suggestion?: string;
}

type Vars = Map<string, GoType | undefined>;

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j] ?? 0;
      row[j] = Math.min(up + 1, (row[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * The field path probably meant by `idents` (the bad one first) on struct t: the same name in
 * another case, the Go name of a JSON key (`metadata.name` → `Name`, promoted from ObjectMeta),
 * or the closest name.
 */
function suggest(t: GoType & { kind: 'struct' }, idents: readonly string[]): string | undefined {
  const [bad = '', next] = idents;
  const lower = bad.toLowerCase();
  const byJson = t.fields.find((f) => f.json === bad);
  if (byJson?.embedded && byJson.type.kind === 'struct' && next !== undefined) {
    const inner = byJson.type.fields.find((f) => f.json === next || f.name.toLowerCase() === next.toLowerCase());
    if (inner) return inner.name;
  }
  if (byJson) return byJson.name;
  const names = fieldNames(t);
  const sameCase = names.find((n) => n.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const scored = names.map((n) => [n, editDistance(lower, n.toLowerCase())] as const).sort((x, y) => x[1] - y[1]);
  const best = scored[0];
  return best && best[1] <= Math.max(2, Math.floor(bad.length / 3)) ? best[0] : undefined;
}

class Checker {
  readonly problems: FieldProblem[] = [];

  constructor(private readonly tree: Tree) {}

  private report(node: Node, t: GoType & { kind: string }, prefix: string, idents: readonly string[]): void {
    const bad = idents[0] ?? '';
    const meant = t.kind === 'struct' ? suggest(t, idents) : undefined;
    this.problems.push({
      position: templatePosition(this.tree.parseName, this.tree.text, node.pos),
      reason: `can't evaluate field ${bad} in type ${goTypeName(t)}`,
      reference: `${prefix}.${bad}`,
      ...(meant !== undefined && { suggestion: `${prefix}.${meant}` }),
    });
  }

  /** The type at the end of a field chain; undefined when unknown or wrong (then reported). */
  private resolve(node: Node, base: GoType | undefined, idents: readonly string[], prefix: string): GoType | undefined {
    let t = base;
    let path = prefix;
    for (let i = 0; i < idents.length; i++) {
      while (t?.kind === 'pointer') t = t.elem;
      const name = idents[i] ?? '';
      if (t === undefined || t.kind === 'any') return undefined;
      if (t.kind === 'map') {
        t = t.elem;
      } else if (t.kind === 'struct') {
        const f = lookupField(t, name);
        if (f === undefined) {
          this.report(node, t, path, idents.slice(i));
          return undefined;
        }
        t = f.type;
      } else {
        this.report(node, t, path, idents.slice(i));
        return undefined;
      }
      path += '.' + name;
    }
    return t;
  }

  /** The type of an operand, checking the fields it refers to. */
  private operand(n: Node, dot: GoType | undefined, vars: Vars): GoType | undefined {
    switch (n.type) {
      case 'dot':
        return dot;
      case 'field':
        return this.resolve(n, dot, n.ident, '');
      case 'variable': {
        const [name = '', ...fields] = n.ident;
        return this.resolve(n, vars.get(name), fields, name);
      }
      case 'chain': {
        const base = this.operand(n.node, dot, vars);
        return this.resolve(n, base, n.field, '(…)');
      }
      case 'pipe':
        return this.pipe(n, dot, vars);
      default:
        return undefined;
    }
  }

  /** The type of a pipeline's result (known only for a lone operand); declares its variables. */
  pipe(p: PipeNode | null, dot: GoType | undefined, vars: Vars): GoType | undefined {
    if (p === null) return undefined;
    let result: GoType | undefined;
    for (const cmd of p.cmds) {
      const [first, ...rest] = cmd.args;
      if (first === undefined) continue;
      const t = this.operand(first, dot, vars);
      for (const arg of rest) this.operand(arg, dot, vars);
      result = cmd.args.length === 1 && p.cmds.length === 1 ? t : undefined;
    }
    for (const v of p.decl) vars.set(v.ident[0] ?? '', p.isAssign ? undefined : result);
    return result;
  }

  walk(n: Node | null, dot: GoType | undefined, vars: Vars): void {
    if (n === null) return;
    switch (n.type) {
      case 'list':
        for (const c of n.nodes) this.walk(c, dot, vars);
        return;
      case 'action':
        this.pipe(n.pipe, dot, vars);
        return;
      case 'template':
        this.pipe(n.pipe, dot, vars);
        return;
      case 'if': {
        const inner = new Map(vars);
        this.pipe(n.pipe, dot, inner);
        this.walk(n.list, dot, inner);
        this.walk(n.elseList, dot, new Map(inner));
        return;
      }
      case 'with': {
        const inner = new Map(vars);
        const t = this.pipe(n.pipe, dot, inner);
        this.walk(n.list, t, inner);
        this.walk(n.elseList, dot, new Map(inner));
        return;
      }
      case 'range': {
        const inner = new Map(vars);
        const decl = n.pipe.decl.map((v) => v.ident[0] ?? '');
        const t = this.pipe({ ...n.pipe, decl: [] }, dot, inner);
        const elem = t?.kind === 'slice' || t?.kind === 'map' ? t.elem : undefined;
        const key: GoType | undefined =
          t?.kind === 'slice' ? { kind: 'int' } : t?.kind === 'map' ? { kind: 'string' } : undefined;
        if (decl.length === 2) {
          inner.set(decl[0] ?? '', key);
          inner.set(decl[1] ?? '', elem);
        } else if (decl.length === 1) inner.set(decl[0] ?? '', elem);
        this.walk(n.list, elem, inner);
        this.walk(n.elseList, dot, new Map(vars));
        return;
      }
      default:
        return;
    }
  }
}

/** Field references in the template's main tree that cannot exist on data of type `root`. */
export function checkFieldReferences(tree: Tree, root: GoType): FieldProblem[] {
  const checker = new Checker(tree);
  checker.walk(tree.root, root, new Map([['$', root]]));
  return checker.problems;
}
