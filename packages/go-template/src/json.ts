/** Go's encoding/json Marshal over the value model (sorted map keys, HTML-safe escaping). */
import { formatFloat } from './strconv.js';
import { GoFloat, GoStruct, GoTypedInt, kindOf, mapGet, sortedKeys, typeName } from './values.js';

export class JsonUnsupportedError extends Error {}

export function jsonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | null = null;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26) {
      switch (c) {
        case 0x22:
          esc = '\\"';
          break;
        case 0x5c:
          esc = '\\\\';
          break;
        case 0x08:
          esc = '\\b';
          break;
        case 0x0c:
          esc = '\\f';
          break;
        case 0x0a:
          esc = '\\n';
          break;
        case 0x0d:
          esc = '\\r';
          break;
        case 0x09:
          esc = '\\t';
          break;
        default:
          esc = '\\u00' + c.toString(16).padStart(2, '0');
      }
    } else if (c === 0x2028 || c === 0x2029) {
      esc = '\\u' + c.toString(16);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const hi = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (hi) {
        i++;
        continue;
      }
      esc = '\\ufffd';
    }
    if (esc !== null) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) {
    throw new JsonUnsupportedError(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  }
  const abs = Math.abs(f);
  let fmt = 'f';
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) fmt = 'e';
  let s = formatFloat(f, fmt, -1);
  if (fmt === 'e') s = s.replace(/e-0(\d)$/, 'e-$1');
  return s;
}

/** json.Marshal; throws JsonUnsupportedError for values JSON cannot represent. */
export function marshalJSON(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return 'null';
    case 'bool':
      return v ? 'true' : 'false';
    case 'string':
      return jsonString(v as string);
    case 'int':
    case 'uint':
      return String(v instanceof GoTypedInt ? (v.exact ?? v.v) : v);
    case 'float':
      return jsonFloat(v instanceof GoFloat ? v.v : (v as number));
    case 'slice':
      return '[' + (v as unknown[]).map((e) => marshalJSON(e)).join(',') + ']';
    case 'struct':
      return marshalJSON((v as GoStruct).json);
    case 'map': {
      const m = v as object;
      return (
        '{' +
        sortedKeys(m)
          .map((k) => jsonString(k) + ':' + marshalJSON(mapGet(m, k)))
          .join(',') +
        '}'
      );
    }
    default:
      throw new JsonUnsupportedError(`json: unsupported type: ${typeName(v)}`);
  }
}
