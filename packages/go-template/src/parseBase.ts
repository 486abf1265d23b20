/** Token lookahead and error reporting shared by the parser (Go's parse.Tree helpers). */
import type { Tree } from './ast.js';
import { TemplateParseError } from './errors.js';
import type { Lexer } from './lexer.js';
import { goQuote } from './quote.js';
import { type Item, T } from './tokens.js';

function itemString(i: Item): string {
  if (i.typ === T.EOF) return 'EOF';
  if (i.typ === T.Error) return i.val;
  if (i.typ > T.Keyword) return `<${i.val}>`;
  const runes = Array.from(i.val);
  if (runes.length > 10) return goQuote(runes.slice(0, 10).join('')) + '...';
  return goQuote(i.val);
}

export abstract class TokenStream {
  abstract tree: Tree;
  protected lex!: Lexer;
  protected token: Item[] = [];
  protected peekCount = 0;
  protected actionLine = 0;

  protected next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount] as Item;
  }
  protected backup(): void {
    this.peekCount++;
  }
  protected backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  protected backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  protected peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1] as Item;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }
  protected nextNonSpace(): Item {
    let token: Item;
    do token = this.next();
    while (token.typ === T.Space);
    return token;
  }
  protected peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  errorf(msg: string): never {
    const line = this.token[0]?.line ?? 1;
    const name = this.tree.parseName;
    throw new TemplateParseError(`template: ${name}:${line}: ${msg}`, { position: { name, line }, reason: msg });
  }

  protected expect(expected: T, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  protected expectOneOf(e1: T, e2: T, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== e1 && token.typ !== e2) this.unexpected(token, context);
    return token;
  }

  protected unexpected(token: Item, context: string): never {
    if (token.typ === T.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.tree.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }
}
