import { yamlErrorReason } from '../properties/documents.js';
import {
  LineCounter,
  Scalar,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';

/** One YAML document of a file, with a way back from a field path to its line. */
export interface LoadedDocument {
  /** Position in the file, from 0. */
  readonly index: number;
  readonly value: unknown;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  /** 1-based line of the field at `path`, or of its closest ancestor that exists. */
  lineOf(path: readonly PropertyKey[]): number;
}

export interface YamlSyntaxError {
  readonly line: number;
  readonly message: string;
}

export interface LoadedFile {
  readonly documents: readonly LoadedDocument[];
  readonly syntaxErrors: readonly YamlSyntaxError[];
}

function startLine(
  lines: LineCounter,
  node: { range?: [number, number, number] | null } | null | undefined,
): number | undefined {
  return node?.range ? lines.linePos(node.range[0]).line : undefined;
}

/**
 * The line, counted from 1 within a literal block (`|`), of the field at `path` of the YAML the block
 * holds: values such as `helmValues` are YAML in a string, and a problem deep in them is found there.
 */
function lineInBlock(text: string, path: readonly PropertyKey[]): number | undefined {
  const lines = new LineCounter();
  const inner = parseDocument(text, { lineCounter: lines });
  return inner.errors.length > 0 ? undefined : lineOfPath(inner, lines, path);
}

function lineOfPath(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let line = startLine(lines, doc.contents) ?? 1;
  for (const [index, segment] of path.entries()) {
    if (isScalar(node) && node.type === Scalar.BLOCK_LITERAL && typeof node.value === 'string') {
      // The block's text starts on the line after its `|` indicator.
      const inner = lineInBlock(node.value, path.slice(index));
      if (inner !== undefined) line = (startLine(lines, node) ?? line) + inner;
      break;
    }
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      line = startLine(lines, pair.key as Node) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item) break;
      line = startLine(lines, item) ?? line;
      node = item;
    } else break;
  }
  return line;
}

/**
 * Alias uses allowed per document, weighted by the size of what each alias stands for (the `yaml`
 * package's maxAliasCount): enough for real configuration, far too few for a "billion laughs" bomb,
 * whose expansion grows exponentially with its nesting.
 */
export const MAX_YAML_ALIAS_COUNT = 100;

/** Parses every document of a (multi-document) YAML text; empty documents are skipped. */
export function loadYamlDocuments(text: string): LoadedFile {
  const lines = new LineCounter();
  // An empty stream is an empty array too.
  const docs: readonly Document[] = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
  const syntaxErrors: YamlSyntaxError[] = docs
    .flatMap((d) => d.errors)
    .map((error) => ({
      line: error.linePos?.[0].line ?? 1,
      message: yamlErrorReason(error),
    }));
  if (syntaxErrors.length > 0) return { documents: [], syntaxErrors };
  const documents: LoadedDocument[] = [];
  for (const doc of docs) {
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
    const line = startLine(lines, doc.contents) ?? 1;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
    } catch (error) {
      // The yaml package throws a ReferenceError when aliases expand past the limit.
      const reason = /excessive alias count/i.test((error as Error).message)
        ? `aliases expand too far (more than ${MAX_YAML_ALIAS_COUNT} alias uses, weighted by size): an alias bomb is refused`
        : (error as Error).message;
      syntaxErrors.push({ line, message: reason });
      continue;
    }
    documents.push({
      index: documents.length,
      value,
      line,
      lineOf: (path: readonly PropertyKey[]) => lineOfPath(doc, lines, path),
    });
  }
  return syntaxErrors.length > 0 ? { documents: [], syntaxErrors } : { documents, syntaxErrors };
}
