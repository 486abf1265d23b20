/**
 * The metric names a PromQL expression selects: identifiers used as a selector (bare, or followed by
 * `{` or `[`) and names given as `{__name__="…"}`. Function and aggregation names (followed by `(`, or
 * by `by`/`without`), keywords, label names (inside `{…}` and the label lists of `by`, `without`, `on`,
 * `ignoring`, `group_left`, `group_right`), strings, numbers, durations and Grafana variables (`$x`,
 * `${x}`, `[[x]]`) are not metric names. Regex matchers on `__name__` cannot be resolved and are refused.
 */

const KEYWORDS = new Set(['bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan', 'atan2']);
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const GROUPING = new Set(['by', 'without']);
const IDENTIFIER = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const NUMBER = /(0x[0-9a-fA-F]+|[0-9][0-9a-zA-Z_.]*([eE][+-]?[0-9]+)?)/y;

export class PromqlParseError extends Error {
  constructor(expression: string, reason: string) {
    super(`${reason} in ${JSON.stringify(expression)}`);
    this.name = 'PromqlParseError';
  }
}

interface Token {
  kind: 'identifier' | 'other';
  text: string;
  /** For `{…}`: the metric names its `__name__` matchers give. */
  names?: string[];
}

/** Index after the string literal starting at `start` (quote at `start`). */
function skipString(expression: string, start: number): number {
  const quote = expression[start];
  let i = start + 1;
  while (i < expression.length && expression[i] !== quote) i += expression[i] === '\\' && quote !== '`' ? 2 : 1;
  if (i >= expression.length) throw new PromqlParseError(expression, 'unterminated string');
  return i + 1;
}

/** Index after the bracket closing the one at `start`, skipping strings inside. */
function skipBracket(expression: string, start: number, close: string): number {
  let i = start + 1;
  while (i < expression.length && expression[i] !== close) {
    const c = expression[i] ?? '';
    i = c === '"' || c === "'" || c === '`' ? skipString(expression, i) : i + 1;
  }
  if (i >= expression.length) throw new PromqlParseError(expression, `missing ${close}`);
  return i + 1;
}

function nameMatchers(expression: string, body: string): string[] {
  const names: string[] = [];
  for (const match of body.matchAll(/__name__\s*(=~|!=|!~|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/g)) {
    const [, op = '', quoted = ''] = match;
    if (op !== '=') throw new PromqlParseError(expression, `__name__${op} cannot be resolved to metric names`);
    names.push(quoted.slice(1, -1));
  }
  return names;
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const c = expression[i] ?? '';
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '#') {
      const end = expression.indexOf('\n', i);
      i = end < 0 ? expression.length : end;
    } else if (c === '"' || c === "'" || c === '`') {
      i = skipString(expression, i);
      tokens.push({ kind: 'other', text: 'string' });
    } else if (c === '$') {
      // Grafana variables: $name, ${name...}
      if (expression[i + 1] === '{') i = skipBracket(expression, i + 1, '}');
      else {
        IDENTIFIER.lastIndex = i + 1;
        const m = IDENTIFIER.exec(expression);
        i = i + 1 + (m ? m[0].length : 0);
      }
      tokens.push({ kind: 'other', text: 'variable' });
    } else if (c === '{') {
      const end = skipBracket(expression, i, '}');
      tokens.push({ kind: 'other', text: '{', names: nameMatchers(expression, expression.slice(i + 1, end - 1)) });
      i = end;
    } else if (c === '[') {
      i = skipBracket(expression, i, ']');
      tokens.push({ kind: 'other', text: '[' });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expression[i + 1] ?? ''))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(expression);
      i += m ? Math.max(m[0].length, 1) : 1;
      tokens.push({ kind: 'other', text: 'number' });
    } else if (/[a-zA-Z_:]/.test(c)) {
      IDENTIFIER.lastIndex = i;
      const m = IDENTIFIER.exec(expression);
      const text = m ? m[0] : c;
      i += text.length;
      tokens.push({ kind: 'identifier', text });
    } else {
      tokens.push({ kind: 'other', text: c });
      i += 1;
    }
  }
  return tokens;
}

/** The metric names `expression` selects, sorted and without duplicates. */
export function metricNames(expression: string): string[] {
  const tokens = tokenize(expression);
  const names = new Set<string>();
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t] as Token;
    if (token.names) for (const name of token.names) names.add(name);
    if (token.kind !== 'identifier') continue;
    const word = token.text;
    const next = tokens[t + 1];
    if (LABEL_LIST_KEYWORDS.has(word)) {
      // by (a, b) / on (a) / group_left (a) / group_left: skip the label list, if any.
      if (next?.text === '(') {
        let close = t + 2;
        while (close < tokens.length && tokens[close]?.text !== ')') close += 1;
        if (close >= tokens.length) throw new PromqlParseError(expression, `missing ) after ${word}`);
        t = close;
      }
      continue;
    }
    if (KEYWORDS.has(word.toLowerCase())) continue;
    if (next?.text === '(') continue; // a function or an aggregation
    if (next?.kind === 'identifier' && GROUPING.has(next.text)) continue; // sum by (…) (…)
    names.add(word);
  }
  return [...names].sort();
}
