import { z } from 'zod';
import {
  checksOf,
  definitionOf as defOf,
  type CheckDefinition,
  type SchemaDefinition as Def,
} from '../schemaDefinition.js';

/**
 * Converts a zod schema into a Kubernetes structural OpenAPI v3 schema: every node has a type,
 * maps are `additionalProperties`, quantities are int-or-string, loose objects preserve unknown
 * fields, defaults and nullable fields are declared. Refinements cannot be expressed and stay in zod
 * (checked by `validate` and the provider).
 */

export interface StructuralSchema {
  description?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  format?: string;
  nullable?: true;
  default?: unknown;
  properties?: Record<string, StructuralSchema>;
  required?: string[];
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  enum?: (string | number | boolean)[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: true;
  exclusiveMaximum?: true;
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
}

export interface ConversionOptions {
  /**
   * Carry the checks zod can state in OpenAPI (patterns, lengths, bounds, formats) into the schema,
   * so the apiserver enforces them too. Without it only types, enums and defaults are carried.
   */
  readonly checks?: boolean;
}

function isOptional(schema: z.ZodType): boolean {
  const type = defOf(schema).type;
  return type === 'optional' || type === 'default';
}

function withDescription(schema: z.ZodType, result: StructuralSchema): StructuralSchema {
  return schema.description === undefined ? result : { description: schema.description, ...result };
}

function objectSchema(def: Def, options: ConversionOptions): StructuralSchema {
  const shape = def.shape ?? {};
  const properties = Object.fromEntries(
    Object.entries(shape).map(([key, value]) => [key, toStructuralSchema(value, options)]),
  );
  const required = Object.keys(shape).filter((key) => !isOptional(shape[key] as z.ZodType));
  const loose = def.catchall !== undefined && defOf(def.catchall).type !== 'never';
  return {
    type: 'object',
    properties,
    ...(required.length > 0 && { required }),
    ...(loose && { 'x-kubernetes-preserve-unknown-fields': true }),
  };
}

function unionSchema(def: Def): StructuralSchema {
  const types = new Set((def.options ?? []).map((option) => defOf(option).type));
  if (types.size === 2 && types.has('string') && types.has('number')) return { 'x-kubernetes-int-or-string': true };
  throw new Error(`cannot express a union of ${[...types].join(', ')} in a structural schema`);
}

const INTEGER_FORMATS = new Set(['safeint', 'int32', 'uint32']);

function isInteger(def: Def): boolean {
  return checksOf(def).some((check) => check.check === 'number_format' && INTEGER_FORMATS.has(check.format ?? ''));
}

/** The OpenAPI keywords of one zod check on a value of `type`; refinements (custom checks) have none. */
function checkKeywords(check: CheckDefinition, type: StructuralSchema['type']): StructuralSchema {
  const lengthOf = type === 'array' ? { min: 'minItems', max: 'maxItems' } : { min: 'minLength', max: 'maxLength' };
  switch (check.check) {
    case 'min_length':
      return { [lengthOf.min]: check.minimum };
    case 'max_length':
      return { [lengthOf.max]: check.maximum };
    case 'greater_than':
      return { minimum: Number(check.value), ...(!check.inclusive && { exclusiveMinimum: true }) };
    case 'less_than':
      return { maximum: Number(check.value), ...(!check.inclusive && { exclusiveMaximum: true }) };
    case 'string_format':
      if (check.format === 'regex' && check.pattern) return { pattern: check.pattern.source };
      if (check.format === 'datetime') return { format: 'date-time' };
      throw new Error(`cannot express the string format ${check.format ?? ''} in a structural schema`);
    case 'number_format':
    case 'custom':
      return {};
    default:
      throw new Error(`cannot express the zod check ${check.check} in a structural schema`);
  }
}

/**
 * Kubernetes annotations a schema declares in its zod metadata, e.g. `.meta({ 'x-kubernetes-map-type':
 * 'atomic' })` for a reference that server-side apply must replace as a whole.
 */
function withAnnotations(schema: z.ZodType, result: StructuralSchema): StructuralSchema {
  const mapType = z.globalRegistry.get(schema)?.['x-kubernetes-map-type'];
  return mapType === 'atomic' || mapType === 'granular' ? { ...result, 'x-kubernetes-map-type': mapType } : result;
}

function withChecks(def: Def, result: StructuralSchema, options: ConversionOptions): StructuralSchema {
  if (!options.checks) return result;
  return checksOf(def).reduce<StructuralSchema>(
    (schema, check) => ({ ...schema, ...checkKeywords(check, result.type) }),
    result,
  );
}

function typedSchema(def: Def, options: ConversionOptions): StructuralSchema {
  switch (def.type) {
    case 'object':
      return objectSchema(def, options);
    case 'record': {
      const values = def.valueType as z.ZodType;
      // A map of anything (status) is kept whole rather than described value by value.
      if (defOf(values).type === 'unknown') return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      return { type: 'object', additionalProperties: toStructuralSchema(values, options) };
    }
    case 'array':
      return { type: 'array', items: toStructuralSchema(def.element as z.ZodType, options) };
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: isInteger(def) ? 'integer' : 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'string', enum: Object.values(def.entries ?? {}) };
    case 'literal':
      return { type: 'string', enum: def.values ?? [] };
    case 'union':
      return unionSchema(def);
    case 'unknown':
    case 'any':
      return { 'x-kubernetes-preserve-unknown-fields': true };
    default:
      throw new Error(`cannot express a zod ${def.type} in a structural schema`);
  }
}

export function toStructuralSchema(schema: z.ZodType, options: ConversionOptions = {}): StructuralSchema {
  const def = defOf(schema);
  // Defaults and nullability are declared where they are; the other wrappers add nothing to the schema.
  if (def.type === 'default' && def.innerType) {
    return withDescription(schema, { ...toStructuralSchema(def.innerType, options), default: def.defaultValue });
  }
  if (def.type === 'nullable' && def.innerType) {
    return withDescription(schema, { ...toStructuralSchema(def.innerType, options), nullable: true });
  }
  // One wrapper at a time, so that a nullable inside an optional is still seen.
  const inner = def.innerType ?? def.in;
  if (inner) return withDescription(schema, toStructuralSchema(inner, options));
  return withDescription(schema, withAnnotations(schema, withChecks(def, typedSchema(def, options), options)));
}
