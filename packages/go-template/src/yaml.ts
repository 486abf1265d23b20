/**
 * Helm's fromYaml (sigs.k8s.io/yaml.Unmarshal into map[string]interface{}): YAML 1.1 scalars as
 * go-yaml v2 reads them, then a JSON round trip, so every number comes back as float64 and every
 * key as a string. Errors are returned in the map under "Error", as Helm does.
 */
import { type Tags, parseDocument } from 'yaml';
import { GoFloat } from './values.js';

export { toYaml } from './yamlEmit.js';

// go-yaml v2 reads timestamps into interface{} as strings and has no sexagesimal numbers.
const customTags = (tags: Tags): Tags =>
  tags.filter((t) => {
    const tag = t as { tag?: string; format?: string };
    return tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME' && tag.tag !== 'tag:yaml.org,2002:binary';
  });

function jsonRoundTrip(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return new GoFloat(v);
  if (typeof v === 'bigint') return new GoFloat(Number(v));
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(jsonRoundTrip);
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of v as Map<unknown, unknown>) out[String(k)] = jsonRoundTrip(val);
    return out;
  }
  if (v instanceof Set) return Object.fromEntries([...(v as Set<unknown>)].map((k) => [String(k), null]));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) out[k] = jsonRoundTrip(val);
    return out;
  }
  return '';
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'number';
}

export function fromYaml(s: string): Record<string, unknown> {
  const doc = parseDocument(s, { version: '1.1', customTags, merge: true, uniqueKeys: false });
  const err = doc.errors[0];
  if (err !== undefined) {
    const line = err.linePos?.[0].line ?? 1;
    return { Error: `error converting YAML to JSON: yaml: line ${line}: ${err.message.split('\n')[0] ?? ''}` };
  }
  const v = jsonRoundTrip(doc.toJS({ mapAsMap: false, maxAliasCount: 10000 }));
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v) || v instanceof GoFloat) {
    return {
      Error: `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v instanceof GoFloat ? 0 : v)} into Go value of type map[string]interface {}`,
    };
  }
  return v as Record<string, unknown>;
}
