/**
 * Helm's toYaml: sigs.k8s.io/yaml.Marshal = encoding/json.Marshal, then go-yaml v2 re-encoding of
 * that JSON. This is a port of the parts of go-yaml v2's emitter that such documents use: block
 * mappings (keys in go-yaml's "natural" order) and sequences (indentless under a mapping), flow
 * `[]`/`{}` for empty collections, scalar style selection (plain, single-quoted, double-quoted,
 * literal) and folding of long scalars at 80 columns.
 */
import { marshalJSON } from './json.js';
import { formatFloat } from './strconv.js';
import { utf8Length } from './utf8.js';
import { GoFloat, GoStruct, GoTypedInt, kindOf, mapGet } from './values.js';
import { BASE60_FLOAT, analyze, isBreak, isPrintable, resolvesToNonString, yamlKeyCompare } from './yamlScalar.js';

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

/** A JSON-shaped value as go-yaml sees it after decoding the JSON text. */
type Node =
  | { k: 'scalar'; text: string; isString: boolean }
  | { k: 'seq'; items: Node[] }
  | { k: 'map'; entries: [string, Node][] };

/** Converts our value the way json.Marshal + yaml.Unmarshal(interface{}) would see it. */
function toNode(v: unknown): Node {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return { k: 'scalar', text: 'null', isString: false };
    case 'bool':
      return { k: 'scalar', text: v ? 'true' : 'false', isString: false };
    case 'string':
      // A raw NEL inside the JSON string is a line break to go-yaml's reader; in a double-quoted
      // scalar a single line break folds into a space.
      return { k: 'scalar', text: (v as string).replace(/\u0085/g, ' '), isString: true };
    case 'int':
    case 'uint':
    case 'float': {
      const json = marshalJSON(v);
      if (/^-?\d+$/.test(json)) {
        const big = BigInt(json);
        if (big >= -(1n << 63n) && big < 1n << 63n) return { k: 'scalar', text: json, isString: false };
      }
      const f = v instanceof GoFloat || v instanceof GoTypedInt ? v.v : Number(v);
      return { k: 'scalar', text: formatFloat(f, 'g', -1), isString: false };
    }
    case 'slice':
      return { k: 'seq', items: (v as unknown[]).map(toNode) };
    case 'struct':
      return toNode((v as GoStruct).json);
    case 'map': {
      const m = v as object;
      const keys = (m instanceof Map ? [...(m as Map<string, unknown>).keys()] : Object.keys(m)).sort(yamlKeyCompare);
      return { k: 'map', entries: keys.map((key) => [key, toNode(mapGet(m, key))]) };
    }
    default:
      throw new Error('json: unsupported type');
  }
}

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;

  put(s: string): void {
    this.out += s;
    this.column += s.length;
  }
  write(c: string): void {
    this.out += c;
    this.column++;
  }
  putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }
  writeBreak(c: string): void {
    if (c === '\n') this.putBreak();
    else {
      this.out += c;
      this.column = 0;
    }
  }
  writeIndent(indent: number): void {
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }
  indicator(ind: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(ind);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  scalar(text: string, isString: boolean, indent: number, simpleKey: boolean): void {
    const a = analyze(text);
    let style: 'plain' | 'single' | 'double' | 'literal';
    if (!isString) style = 'plain';
    else if (text.includes('\n')) style = 'literal';
    else if (!resolvesToNonString(text) && !BASE60_FLOAT.test(text)) style = 'plain';
    else style = 'double';
    if (simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if (!a.blockPlain) style = 'single';
      if (text.length === 0 && simpleKey) style = 'single';
    }
    if (style === 'single' && !a.singleQuoted) style = 'double';
    if (style === 'literal' && (!a.block || simpleKey)) style = 'double';
    const allowBreaks = !simpleKey;
    switch (style) {
      case 'plain': {
        this.plain(text, allowBreaks, indent);
        return;
      }
      case 'single': {
        this.single(text, allowBreaks, indent);
        return;
      }
      case 'double': {
        this.double(text, allowBreaks, indent);
        return;
      }
      case 'literal': {
        this.literal(text, indent);
        return;
      }
    }
  }

  plain(value: string, allowBreaks: boolean, indent: number): void {
    if (!this.whitespace) this.put(' ');
    this.foldedText(value, allowBreaks, indent, false);
    this.whitespace = false;
    this.indention = false;
  }

  single(value: string, allowBreaks: boolean, indent: number): void {
    this.indicator("'", true, false, false);
    this.foldedText(value, allowBreaks, indent, true);
    this.indicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  /** A plain or single-quoted scalar's text, folded at a space past the best width. */
  private foldedText(value: string, allowBreaks: boolean, indent: number, quoted: boolean): void {
    const chars = Array.from(value);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] as string;
      if (c === ' ') {
        // A quoted scalar never folds at its first or last character: the fold would eat that space.
        const inside = !quoted || (i > 0 && i < chars.length - 1);
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && inside && chars[i + 1] !== ' ') {
          this.writeIndent(indent);
        } else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(indent);
        if (quoted && c === "'") this.put("'");
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
  }

  double(value: string, allowBreaks: boolean, indent: number): void {
    this.indicator('"', true, false, false);
    const chars = Array.from(value);
    // go-yaml's is_bom() looks at the start of the value, not the current character, so a value that
    // begins with a BOM has every character escaped.
    const bom = value.startsWith('\uFEFF');
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] as string;
      const r = c.codePointAt(0) ?? 0;
      if (bom || !isPrintable(c) || isBreak(c) || c === '"' || c === '\\') {
        this.put('\\');
        const named: Record<number, string> = {
          0: '0',
          7: 'a',
          8: 'b',
          9: 't',
          10: 'n',
          11: 'v',
          12: 'f',
          13: 'r',
          0x1b: 'e',
          0x22: '"',
          0x5c: '\\',
          0x85: 'N',
          0xa0: '_',
          0x2028: 'L',
          0x2029: 'P',
        };
        const n = named[r];
        if (n !== undefined) this.put(n);
        else if (r <= 0xff) this.put('x' + r.toString(16).toUpperCase().padStart(2, '0'));
        else if (r <= 0xffff) this.put('u' + r.toString(16).toUpperCase().padStart(4, '0'));
        else this.put('U' + r.toString(16).toUpperCase().padStart(8, '0'));
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.writeIndent(indent);
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.write(c);
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
    this.indicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  literal(value: string, indent: number): void {
    this.indicator('|', true, false, false);
    const chars = Array.from(value);
    if (chars[0] === ' ' || isBreak(chars[0] ?? '')) this.indicator(String(BEST_INDENT), false, false, false);
    const last = chars[chars.length - 1] ?? '';
    let chomp = '';
    if (chars.length === 0 || !isBreak(last)) chomp = '-';
    else if (chars.length === 1 || isBreak(chars[chars.length - 2] ?? '')) chomp = '+';
    if (chomp) this.indicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(indent);
        this.write(c);
        this.indention = false;
        breaks = false;
      }
    }
  }

  node(n: Node, indent: number, mappingContext: boolean): void {
    if (n.k === 'scalar') {
      this.scalar(n.text, n.isString, indent + BEST_INDENT, false);
      return;
    }
    if (n.k === 'seq' && n.items.length === 0) {
      this.indicator('[]', true, false, false);
      return;
    }
    if (n.k === 'map' && n.entries.length === 0) {
      this.indicator('{}', true, false, false);
      return;
    }
    if (n.k === 'seq') {
      const seqIndent = mappingContext && !this.indention ? indent : indent + BEST_INDENT;
      for (const item of n.items) {
        this.writeIndent(seqIndent);
        this.indicator('-', true, false, true);
        this.node(item, seqIndent, false);
      }
      return;
    }
    const mapIndent = indent + BEST_INDENT;
    for (const [key, value] of n.entries) {
      this.writeIndent(mapIndent);
      if (analyze(key).multiline || utf8Length(key) > 128) {
        // Not a simple key: go-yaml writes "? key" and ": value" on lines of their own.
        this.indicator('?', true, false, true);
        this.scalar(key, true, mapIndent + BEST_INDENT, false);
        this.writeIndent(mapIndent);
        this.indicator(':', true, false, true);
      } else {
        this.scalar(key, true, mapIndent + BEST_INDENT, true);
        this.indicator(':', false, false, false);
      }
      this.node(value, mapIndent, true);
    }
  }
}

/** Helm's toYaml: "" when the value cannot be marshalled; one trailing newline trimmed. */
export function toYaml(v: unknown): string {
  let root: Node;
  try {
    marshalJSON(v); // json.Marshal must succeed first (no NaN, complex, functions).
    root = toNode(v);
  } catch {
    return '';
  }
  const e = new Emitter();
  // Root collections sit at column 0; a root scalar's continuation lines are indented by 2.
  if (root.k === 'scalar') e.scalar(root.text, root.isString, BEST_INDENT, false);
  else e.node(root, -BEST_INDENT, false);
  if (!e.indention || e.column > 0 || !e.whitespace) e.putBreak();
  const out = e.out;
  return out.endsWith('\n') ? out.slice(0, -1) : out;
}
