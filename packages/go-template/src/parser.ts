/** Parser: a port of Go's text/template/parse/parse.go. */
import type { BranchNode, CommandNode, ListNode, Node, PipeNode, TemplateNode, Tree, VariableNode } from './ast.js';
import { isEmptyTree, nodeString } from './ast.js';
import { Lexer } from './lexer.js';
import { TokenStream } from './parseBase.js';
import { type Item, T } from './tokens.js';
import { newNumber } from './number.js';
import { goQuote, goUnquote } from './quote.js';

/** Parenthesised pipelines nest at most this deep (Go: 10000; lower here to stay within the JS stack). */
export const MAX_PARSE_DEPTH = 1000;

export class TreeParser extends TokenStream {
  tree: Tree;
  private vars: string[] = ['$'];
  private treeSet!: Map<string, Tree>;
  private rangeDepth = 0;
  private stackDepth = 0;
  private funcs!: (name: string) => boolean;

  constructor(name: string, parseName: string, text: string) {
    super();
    this.tree = { name, parseName, text, root: { type: 'list', pos: 0, nodes: [] } };
  }

  static parse(
    name: string,
    text: string,
    leftDelim: string,
    rightDelim: string,
    hasFunction: (name: string) => boolean,
  ): Map<string, Tree> {
    const treeSet = new Map<string, Tree>();
    const p = new TreeParser(name, name, text);
    const lex = new Lexer(text, leftDelim || '{{', rightDelim || '}}');
    p.startParse(hasFunction, lex, treeSet);
    p.lex.breakOK = !hasFunction('break');
    p.lex.continueOK = !hasFunction('continue');
    p.parse();
    p.add();
    return treeSet;
  }

  private startParse(funcs: (name: string) => boolean, lex: Lexer, treeSet: Map<string, Tree>): void {
    this.lex = lex;
    this.vars = ['$'];
    this.funcs = funcs;
    this.treeSet = treeSet;
    this.stackDepth = 0;
  }

  private child(name: string): TreeParser {
    const c = new TreeParser(name, this.tree.parseName, this.tree.text);
    c.startParse(this.funcs, this.lex, this.treeSet);
    return c;
  }

  add(): void {
    const tree = this.treeSet.get(this.tree.name);
    if (tree === undefined || isEmptyTree(tree.root)) {
      this.treeSet.set(this.tree.name, this.tree);
      return;
    }
    if (!isEmptyTree(this.tree.root))
      this.errorf(`template: multiple definition of template ${goQuote(this.tree.name)}`);
  }

  private newList(pos: number): ListNode {
    return { type: 'list', pos, nodes: [] };
  }

  parse(): void {
    this.tree.root = this.newList(this.peek().pos);
    while (this.peek().typ !== T.EOF) {
      if (this.peek().typ === T.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === T.Define) {
          const newT = this.child('definition');
          newT.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.tree.root.nodes.push(n);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf(T.String, T.RawString, context);
    this.tree.name = this.unquote(name.val);
    this.expect(T.RightDelim, context);
    const [list, end] = this.itemList();
    this.tree.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private unquote(s: string): string {
    try {
      return goUnquote(s);
    } catch {
      return this.errorf('invalid syntax');
    }
  }

  private itemList(): [ListNode, Node] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== T.EOF) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Text:
        return { type: 'text', pos: token.pos, text: token.val };
      case T.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case T.Comment:
        return { type: 'comment', pos: token.pos, text: token.val };
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Block:
        return this.blockControl();
      case T.Break:
        return this.loopControl('break', token);
      case T.Continue:
        return this.loopControl('continue', token);
      case T.Else:
        return this.elseControl();
      case T.End:
        return { type: 'end', pos: this.expect(T.RightDelim, 'end').pos };
      case T.If:
        return this.branch('if');
      case T.Range:
        return this.branch('range');
      case T.Template:
        return this.templateControl();
      case T.With:
        return this.branch('with');
    }
    this.backup();
    const tok = this.peek();
    return { type: 'action', pos: tok.pos, line: tok.line, pipe: this.pipeline('command', T.RightDelim) };
  }

  private loopControl(kind: 'break' | 'continue', tok: Item): Node {
    const token = this.nextNonSpace();
    if (token.typ !== T.RightDelim) this.unexpected(token, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos: tok.pos, line: tok.line };
  }

  private pipeline(context: string, end: T): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: token.pos, line: token.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ === T.Variable) {
        this.next();
        const tokenAfterVariable = this.peek();
        const next = this.peekNonSpace();
        if (next.typ === T.Assign || next.typ === T.Declare) {
          pipe.isAssign = next.typ === T.Assign;
          this.nextNonSpace();
          pipe.decl.push({ type: 'variable', pos: v.pos, ident: v.val.split('.') });
          this.vars.push(v.val);
        } else if (next.typ === T.Char && next.val === ',') {
          this.nextNonSpace();
          pipe.decl.push({ type: 'variable', pos: v.pos, ident: v.val.split('.') });
          this.vars.push(v.val);
          if (context === 'range' && pipe.decl.length < 2) {
            const t = this.peekNonSpace().typ;
            if (t === T.Variable || t === T.RightDelim || t === T.RightParen) continue decls;
            this.errorf('range can only initialize variables');
          }
          this.errorf(`too many declarations in ${context}`);
        } else if (tokenAfterVariable.typ === T.Space) {
          this.backup3(v, tokenAfterVariable);
        } else {
          this.backup2(v);
        }
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case T.Bool:
        case T.CharConstant:
        case T.Complex:
        case T.Dot:
        case T.Field:
        case T.Identifier:
        case T.Number:
        case T.Nil:
        case T.RawString:
        case T.String:
        case T.Variable:
        case T.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const t = pipe.cmds[i]?.args[0]?.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private branch(context: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, T.RightDelim);
      if (context === 'range') this.rangeDepth++;
      const [list, first] = this.itemList();
      let next = first;
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === 'else') {
        if (context === 'if' && this.peek().typ === T.If) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.branch('if'));
        } else if (context === 'with' && this.peek().typ === T.With) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.branch('with'));
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    if (peek.typ === T.If || peek.typ === T.With) return { type: 'else', pos: peek.pos, line: peek.line };
    const token = this.expect(T.RightDelim, 'else');
    return { type: 'else', pos: token.pos, line: token.line };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, T.RightDelim);
    const block = this.child(name);
    const [list, end] = block.itemList();
    block.tree.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    const n: TemplateNode = { type: 'template', pos: token.pos, line: token.line, name, pipe };
    return n;
  }

  private templateControl(): Node {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== T.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.RightDelim);
    }
    return { type: 'template', pos: token.pos, line: token.line, name, pipe };
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.typ === T.String || token.typ === T.RawString) return this.unquote(token.val);
    this.unexpected(token, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === T.Space) continue;
      if (token.typ === T.RightDelim || token.typ === T.RightParen) this.backup();
      else if (token.typ !== T.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | null {
    let node = this.term();
    if (node === null) return null;
    if (this.peek().typ === T.Field) {
      const pos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === T.Field) fields.push(this.next().val.slice(1));
      switch (node.type) {
        case 'field':
          node = { type: 'field', pos, ident: [...node.ident, ...fields] };
          break;
        case 'variable':
          node = { type: 'variable', pos, ident: [...node.ident, ...fields] };
          break;
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
          break;
        default:
          node = { type: 'chain', pos, node, field: fields };
      }
    }
    return node;
  }

  private term(): Node | null {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Identifier:
        if (!this.funcs(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`);
        return { type: 'identifier', pos: token.pos, ident: token.val };
      case T.Dot:
        return { type: 'dot', pos: token.pos };
      case T.Nil:
        return { type: 'nil', pos: token.pos };
      case T.Variable:
        return this.useVar(token.pos, token.val);
      case T.Field:
        return { type: 'field', pos: token.pos, ident: token.val.slice(1).split('.') };
      case T.Bool:
        return { type: 'bool', pos: token.pos, value: token.val === 'true' };
      case T.CharConstant:
      case T.Complex:
      case T.Number: {
        const n = newNumber(token.pos, token.val, token.typ === T.CharConstant, token.typ === T.Complex);
        if (typeof n === 'string') this.errorf(n);
        return n;
      }
      case T.LeftParen: {
        if (this.stackDepth >= MAX_PARSE_DEPTH) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          return this.pipeline('parenthesized pipeline', T.RightParen);
        } finally {
          this.stackDepth--;
        }
      }
      case T.String:
      case T.RawString:
        return { type: 'string', pos: token.pos, quoted: token.val, text: this.unquote(token.val) };
    }
    this.backup();
    return null;
  }

  private useVar(pos: number, name: string): VariableNode {
    const ident = name.split('.');
    if (!this.vars.includes(ident[0] ?? '')) this.errorf(`undefined variable ${goQuote(ident[0] ?? '')}`);
    return { type: 'variable', pos, ident };
  }
}
