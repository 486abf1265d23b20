import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** A place in a file that names a path outside the repository. */
export interface OutsidePath {
  file: string;
  line: number;
  text: string;
  resolved: string;
}

const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const SHELL = /(\.sh|^Makefile|\/Makefile|^\.ci\/run)$/;
/** Names under which code conventionally holds the repository root, when their value is not in the file. */
const ROOT_NAMES = new Set(['root', 'repoRoot', 'repositoryRoot', 'projectRoot']);

/**
 * Every path `file` (relative to `root`) names outside `root`: sibling-checkout references in any
 * file; in code, relative string literals (resolved against the file's folder, as imports and
 * `new URL(…, import.meta.url)` are) and path.join/resolve chains from the file's folder, the
 * working directory or a variable holding one of those; in shell and make, relative paths (resolved
 * against the root, where the Makefile runs them) and chains from the script's own folder.
 */
export function findOutsidePaths(root: string, file: string, text: string): OutsidePath[] {
  const found: OutsidePath[] = [];
  const report = (index: number, snippet: string, path: string): void => {
    const resolved = resolve(path);
    if (isInside(root, resolved)) return;
    const line = text.slice(0, index).split('\n').length;
    found.push({ file, line, text: snippet, resolved: relative(root, resolved) });
  };
  // Nothing climbs out without a `..` step; most files have none and need not be parsed.
  if (text.includes('..') && CODE.test(file)) scanCode(root, file, text, report);
  else if (text.includes('..') && SHELL.test(file)) scanShell(root, file, text, report);
  // One finding per line: a chain, its literals and the URL around them all name the same place.
  const lines = new Set<number>();
  return found.sort((a, b) => a.line - b.line).filter((f) => !lines.has(f.line) && lines.add(f.line));
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

type Report = (index: number, snippet: string, path: string) => void;

function isRelative(literal: string): boolean {
  return /^\.\.?(\/|$)/.test(literal);
}

/** Code: evaluates the path expressions it can see through, in source order. */
function scanCode(root: string, file: string, text: string, report: Report): void {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const fileDir = join(root, dirname(file));
  const filePath = join(root, file);
  const values = new Map<string, string>();
  /** Names this file binds to something else (a temp folder, a parameter): not the root whatever they are called. */
  const opaque = new Set<string>();

  const literalText = (node: ts.Node): string | undefined => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node)) return node.head.text;
    return undefined;
  };
  const isImportMeta = (node: ts.Node, property: string): boolean =>
    ts.isPropertyAccessExpression(node) &&
    node.name.text === property &&
    ts.isMetaProperty(node.expression) &&
    node.expression.name.text === 'meta';
  const calleeName = (call: ts.CallExpression): string | undefined => {
    const callee = call.expression;
    if (ts.isIdentifier(callee)) return callee.text;
    if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
    return undefined;
  };

  /** The absolute path an expression holds, when it can be told from this file alone. */
  const evaluate = (node: ts.Node): string | undefined => {
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return evaluate(node.expression);
    if (ts.isIdentifier(node)) {
      if (node.text === '__dirname') return fileDir;
      if (node.text === '__filename') return filePath;
      return values.get(node.text) ?? (ROOT_NAMES.has(node.text) && !opaque.has(node.text) ? root : undefined);
    }
    if (isImportMeta(node, 'dirname')) return fileDir;
    if (isImportMeta(node, 'url') || isImportMeta(node, 'filename')) return filePath;
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'pathname') return evaluate(node.expression);
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
      const [target, base] = node.arguments ?? [];
      const rel = target && literalText(target);
      const baseFile = base && evaluate(base);
      return rel !== undefined && baseFile !== undefined ? resolve(dirname(baseFile), rel) : undefined;
    }
    if (!ts.isCallExpression(node)) return undefined;
    const name = calleeName(node);
    const [first, ...rest] = node.arguments;
    if (name === 'cwd' && node.arguments.length === 0) return root;
    if (!first) return undefined;
    if (name === 'fileURLToPath') return evaluate(first);
    if (name === 'dirname') {
      const inner = evaluate(first);
      return inner === undefined ? undefined : dirname(inner);
    }
    if (name === 'join' || name === 'resolve') {
      const base = evaluate(first);
      if (base === undefined) return undefined;
      const segments: string[] = [];
      for (const arg of rest) {
        const segment = literalText(arg);
        if (segment === undefined || isAbsolute(segment)) break;
        segments.push(segment);
      }
      return join(base, ...segments);
    }
    return undefined;
  };

  const visit = (node: ts.Node): void => {
    const literal = literalText(node);
    if (literal !== undefined && isRelative(literal)) {
      report(node.getStart(source), node.getText(source), join(fileDir, literal));
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const value = evaluate(node);
      if (value !== undefined) report(node.getStart(source), node.getText(source), value);
    }
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node)) && ts.isIdentifier(node.name)) {
      const value = node.initializer && evaluate(node.initializer);
      if (value !== undefined) values.set(node.name.text, value);
      else opaque.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

/** The script's own folder as shell spells it: `$(dirname "$0")`, `$(dirname "${BASH_SOURCE[0]}")`. */
const SCRIPT_DIR = /\$\(\s*dirname\s+"?\$(?:0|\{BASH_SOURCE\[0\]\})"?\s*\)/;

/** Shell and make: relative paths against the root; chains from the script's folder against that folder. */
function scanShell(root: string, file: string, text: string, report: Report): void {
  const scriptDir = join(root, dirname(file));
  const dirVars = new Set<string>();
  for (const match of text.matchAll(/^\s*(?:local\s+|readonly\s+)?(\w+)=(.*)$/gm)) {
    const value = match[2] ?? '';
    if (SCRIPT_DIR.test(value) && !value.includes('/..')) dirVars.add(match[1] ?? '');
  }
  const dirVar = [...dirVars].map((v) => `\\$\\{?${v}\\}?`).join('|');
  const anchored = new RegExp(`(${SCRIPT_DIR.source}${dirVar ? `|${dirVar}` : ''})"?((?:/\\.\\.)+)(?![\\w.])`, 'g');
  for (const match of text.matchAll(anchored)) {
    report(match.index, match[0], join(scriptDir, (match[2] ?? '').slice(1)));
  }
  for (const match of text.matchAll(/(?<![\w.$}/)])(\.\.(?:\/\.\.)*)(?=\/|\s|"|'|$)/gm)) {
    report(match.index, match[1] ?? '', join(root, match[1] ?? ''));
  }
}
