/**
 * Go's encoding/json Unmarshal into interface{} (objects → map[string]interface {}, numbers →
 * float64), with its scanner's error messages, and json.Indent for toPrettyJson.
 */
import { goQuote } from './quote.js';
import { GoFloat, newMap, setKey } from './values.js';

export class JsonSyntaxError extends Error {}

/** The scanner's quoting of an offending character: 'x', '\n', '\''. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const q = goQuote(c);
  return "'" + q.slice(1, -1) + "'";
}

class Decoder {
  private p = 0;
  constructor(private readonly s: string) {}

  private fail(context: string): never {
    if (this.p >= this.s.length) {
      // Go feeds the scanner a space at the end: inside a literal, number or escape that is the error.
      if (!/^in (literal|numeric|string escape|\\u)|^after decimal|^in exponent/.test(context)) {
        throw new JsonSyntaxError('unexpected end of JSON input');
      }
      throw new JsonSyntaxError(`invalid character ' ' ${context}`);
    }
    const cp = this.s.codePointAt(this.p) ?? 0;
    // The scanner reads bytes: a non-ASCII character is reported by its first UTF-8 byte.
    const byte = cp < 0x80 ? cp : cp < 0x800 ? 0xc0 | (cp >> 6) : cp < 0x10000 ? 0xe0 | (cp >> 12) : 0xf0 | (cp >> 18);
    throw new JsonSyntaxError(`invalid character ${quoteChar(String.fromCharCode(byte))} ${context}`);
  }

  private ws(): void {
    while (/^[ \t\n\r]$/.test(this.s[this.p] ?? '')) this.p++;
  }

  document(): unknown {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.p < this.s.length) this.fail('after top-level value');
    return v;
  }

  private value(): unknown {
    const c = this.s[this.p];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (c === word[0]) {
        for (let i = 1; i < word.length; i++) {
          this.p++;
          if (this.s[this.p] !== word[i]) this.fail(`in literal ${word} (expecting ${quoteChar(word[i] ?? '')})`);
        }
        this.p++;
        return v;
      }
    }
    return this.fail('looking for beginning of value');
  }

  private object(): Record<string, unknown> {
    const m = newMap();
    this.p++;
    this.ws();
    if (this.s[this.p] === '}') {
      this.p++;
      return m;
    }
    for (;;) {
      if (this.s[this.p] !== '"') this.fail('looking for beginning of object key string');
      const key = this.string();
      this.ws();
      if (this.s[this.p] !== ':') this.fail('after object key');
      this.p++;
      this.ws();
      setKey(m, key, this.value());
      this.ws();
      const c = this.s[this.p];
      if (c === '}') {
        this.p++;
        return m;
      }
      if (c !== ',') this.fail('after object key:value pair');
      this.p++;
      this.ws();
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.p++;
    this.ws();
    if (this.s[this.p] === ']') {
      this.p++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.p];
      if (c === ']') {
        this.p++;
        return out;
      }
      if (c !== ',') this.fail('after array element');
      this.p++;
      this.ws();
    }
  }

  private string(): string {
    this.p++;
    let out = '';
    for (;;) {
      const c = this.s[this.p];
      if (c === undefined) this.fail('');
      if (c === '"') {
        this.p++;
        // A lone surrogate from a \u escape decodes to U+FFFD in Go.
        return out.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
      }
      if (c < ' ') this.fail('in string literal');
      if (c !== '\\') {
        out += c;
        this.p++;
        continue;
      }
      this.p++;
      const e = this.s[this.p];
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (e !== undefined && e in simple) {
        out += simple[e] ?? '';
        this.p++;
        continue;
      }
      if (e !== 'u') this.fail('in string escape code');
      let code = 0;
      for (let i = 0; i < 4; i++) {
        this.p++;
        const h = this.s[this.p] ?? '';
        if (!/^[0-9a-fA-F]$/.test(h)) this.fail('in \\u hexadecimal character escape');
        code = code * 16 + parseInt(h, 16);
      }
      this.p++;
      out += String.fromCharCode(code);
    }
  }

  private number(): GoFloat {
    const start = this.p;
    const digits = (): number => {
      const from = this.p;
      while (/^[0-9]$/.test(this.s[this.p] ?? '')) this.p++;
      return this.p - from;
    };
    if (this.s[this.p] === '-') {
      this.p++;
      if (!/^[0-9]$/.test(this.s[this.p] ?? '')) this.fail('in numeric literal');
    }
    if (this.s[this.p] === '0') this.p++;
    else digits();
    if (this.s[this.p] === '.') {
      this.p++;
      if (digits() === 0) this.fail('after decimal point in numeric literal');
    }
    if (this.s[this.p] === 'e' || this.s[this.p] === 'E') {
      this.p++;
      if (this.s[this.p] === '+' || this.s[this.p] === '-') this.p++;
      if (digits() === 0) this.fail('in exponent of numeric literal');
    }
    return new GoFloat(Number(this.s.slice(start, this.p)));
  }
}

/** json.Unmarshal(text, &interface{}); throws JsonSyntaxError with Go's message. */
export function decodeJSON(text: string): unknown {
  return new Decoder(text).document();
}

/** json.Indent(compact, "", "  "): empty arrays and objects stay `[]` and `{}`. */
export function indentJSON(compact: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  const newline = (): string => '\n' + '  '.repeat(depth);
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i] ?? '';
    if (inString) {
      out += c;
      if (c === '\\') out += compact[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if ((c === '{' || c === '[') && (compact[i + 1] === '}' || compact[i + 1] === ']')) {
      out += c + (compact[++i] ?? '');
    } else if (c === '{' || c === '[') {
      depth++;
      out += c + newline();
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') out += c + newline();
    else if (c === ':') out += ': ';
    else out += c;
  }
  return out;
}

/** What SetEscapeHTML(false) leaves unescaped: <, > and & (an escaped backslash before them is kept). */
export function unescapeHTML(json: string): string {
  return json.replace(/(\\*)\\u00(3c|3e|26)/g, (m, slashes: string, code: string) =>
    slashes.length % 2 === 1 ? m : slashes + String.fromCharCode(parseInt(code, 16)),
  );
}
