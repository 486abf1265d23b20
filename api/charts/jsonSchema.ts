import type { ConfigIssue } from '../issues.js';
import { describeValue } from '../issues.js';
import { didYouMean } from '../suggest.js';
import { typeMismatch, valueMismatch } from '../zodIssues.js';

/**
 * Checks values against a chart's values.schema.json, the file Helm checks them against, so that
 * `validate` refuses what `helm install` would and says it the way `validate` says everything.
 *
 * Only the JSON Schema (draft-07) keywords the bundled charts use are understood; a schema with any
 * other keyword is refused when read, so no rule of it can be skipped silently. Two keywords mean more
 * here than to Helm: `contentMediaType: application/json` requires the string to parse as JSON, and
 * `x-expected` (which Helm ignores) words the message for a value that does not match `pattern`.
 */
export interface JsonSchema {
  readonly $schema?: string;
  readonly $ref?: string;
  readonly title?: string;
  readonly description?: string;
  readonly definitions?: Readonly<Record<string, JsonSchema>>;
  readonly type?: JsonType | readonly JsonType[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly minLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  readonly propertyNames?: JsonSchema;
  readonly contentMediaType?: string;
  readonly 'x-expected'?: string;
}

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

const KEYWORDS = new Set<string>([
  '$schema',
  '$ref',
  'title',
  'description',
  'definitions',
  'type',
  'properties',
  'additionalProperties',
  'required',
  'items',
  'enum',
  'minLength',
  'minimum',
  'maximum',
  'pattern',
  'propertyNames',
  'contentMediaType',
  'x-expected',
]);

export class UnsupportedSchemaError extends Error {
  constructor(source: string, where: string, keyword: string) {
    super(`${source}: ${where || 'the schema'} uses "${keyword}", which this checker does not understand`);
    this.name = 'UnsupportedSchemaError';
  }
}

function subschemas(schema: JsonSchema): [string, JsonSchema][] {
  const named = (group: string, map: Readonly<Record<string, JsonSchema>> | undefined): [string, JsonSchema][] =>
    Object.entries(map ?? {}).map(([key, value]) => [`${group}.${key}`, value]);
  return [
    ...named('definitions', schema.definitions),
    ...named('properties', schema.properties),
    ...(schema.items ? [['items', schema.items] as [string, JsonSchema]] : []),
    ...(schema.propertyNames ? [['propertyNames', schema.propertyNames] as [string, JsonSchema]] : []),
    ...(typeof schema.additionalProperties === 'object'
      ? [['additionalProperties', schema.additionalProperties] as [string, JsonSchema]]
      : []),
  ];
}

/** Throws UnsupportedSchemaError when the schema uses a keyword this checker would ignore. */
export function assertSupported(schema: JsonSchema, source: string, where = ''): void {
  for (const keyword of Object.keys(schema)) {
    if (!KEYWORDS.has(keyword)) throw new UnsupportedSchemaError(source, where, keyword);
  }
  if (schema.contentMediaType !== undefined && schema.contentMediaType !== 'application/json') {
    throw new UnsupportedSchemaError(source, where, `contentMediaType: ${schema.contentMediaType}`);
  }
  for (const [key, sub] of subschemas(schema)) assertSupported(sub, source, where === '' ? key : `${where}.${key}`);
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function typeMatches(expected: JsonType, actual: JsonType): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (schema.$ref === undefined) return schema;
  const name = /^#\/definitions\/(.+)$/.exec(schema.$ref)?.[1];
  const target = name === undefined ? undefined : root.definitions?.[name];
  if (!target) throw new Error(`the schema's $ref ${schema.$ref} names no definition`);
  return resolve(target, root);
}

/** Why `text` is not JSON, with the place as line and column of the text; V8's wording varies by version. */
function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const reason = message.split(/ in JSON| \(/)[0] ?? message;
    const position = /at position (\d+)/.exec(message)?.[1];
    if (position === undefined) return `is not valid JSON: ${reason}`;
    const before = text.slice(0, Number(position)).split('\n');
    return `is not valid JSON: ${reason} (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1} of the value)`;
  }
}

function check(value: unknown, declared: JsonSchema, root: JsonSchema, path: PropertyKey[], out: ConfigIssue[]): void {
  const schema = resolve(declared, root);
  const issue = (message: string, at: PropertyKey[] = path): void => {
    out.push({ path: at, message });
  };
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((type) => typeMatches(type, typeOf(value)))) {
      issue(typeMismatch(types, value));
      return;
    }
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) issue(valueMismatch(schema.enum, value));
  if (typeof value === 'number') {
    const { minimum, maximum } = schema;
    if (minimum !== undefined && value < minimum) issue(`must be at least ${minimum}, not ${value}`);
    if (maximum !== undefined && value > maximum) issue(`must be at most ${maximum}, not ${value}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      issue(schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters long`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      issue(`${describeValue(value)} is not ${schema['x-expected'] ?? `text matching ${schema.pattern}`}`);
    }
    const json = schema.contentMediaType === undefined ? undefined : jsonProblem(value);
    if (json !== undefined) issue(json);
  }
  const { items } = schema;
  if (Array.isArray(value) && items) {
    value.forEach((item, index) => {
      check(item, items, root, [...path, index], out);
    });
  }
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) issue('is required', [...path, key]);
    const known = Object.keys(schema.properties ?? {});
    for (const [key, item] of Object.entries(record)) {
      // Each key is checked as a string against propertyNames, and reported at itself.
      if (schema.propertyNames) check(key, schema.propertyNames, root, [...path, key], out);
      const property = schema.properties?.[key];
      if (property) check(item, property, root, [...path, key], out);
      else if (schema.additionalProperties === false) {
        issue(`unknown field ${JSON.stringify(key)}${didYouMean(key, known)}`, [...path, key]);
      } else if (typeof schema.additionalProperties === 'object') {
        check(item, schema.additionalProperties, root, [...path, key], out);
      }
    }
  }
}

/** Every problem of `value` against `schema`, each at its path in the values. */
export function schemaProblems(schema: JsonSchema, value: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  check(value, schema, schema, [], out);
  return out;
}
