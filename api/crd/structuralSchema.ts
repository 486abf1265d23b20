import type { z } from 'zod';
import { definitionOf as defOf, unwrapped, type SchemaDefinition as Def } from '../schemaDefinition.js';

/**
 * Converts a zod schema into a Kubernetes structural OpenAPI v3 schema: every node has a type,
 * maps are `additionalProperties`, quantities are int-or-string, loose objects preserve unknown
 * fields. Refinements cannot be expressed and stay in zod (checked by `validate` and the provider).
 */

export interface StructuralSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  description?: string;
  properties?: Record<string, StructuralSchema>;
  required?: string[];
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  enum?: (string | number | boolean)[];
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-preserve-unknown-fields'?: true;
}

function isOptional(schema: z.ZodType): boolean {
  const type = defOf(schema).type;
  return type === 'optional' || type === 'default';
}

function withDescription(schema: z.ZodType, result: StructuralSchema): StructuralSchema {
  return schema.description === undefined ? result : { description: schema.description, ...result };
}

function objectSchema(def: Def): StructuralSchema {
  const shape = def.shape ?? {};
  const properties = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, toStructuralSchema(value)]));
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

export function toStructuralSchema(schema: z.ZodType): StructuralSchema {
  const inner = unwrapped(schema);
  if (inner !== schema) return withDescription(schema, toStructuralSchema(inner));
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return withDescription(schema, objectSchema(def));
    case 'record': {
      const values = def.valueType as z.ZodType;
      // A map of anything (status) is kept whole rather than described value by value.
      if (defOf(values).type === 'unknown') {
        return withDescription(schema, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
      }
      return withDescription(schema, { type: 'object', additionalProperties: toStructuralSchema(values) });
    }
    case 'array':
      return withDescription(schema, { type: 'array', items: toStructuralSchema(def.element as z.ZodType) });
    case 'string':
      return withDescription(schema, { type: 'string' });
    case 'number':
      return withDescription(schema, { type: 'number' });
    case 'boolean':
      return withDescription(schema, { type: 'boolean' });
    case 'enum':
      return withDescription(schema, { type: 'string', enum: Object.values(def.entries ?? {}) });
    case 'literal':
      return withDescription(schema, { type: 'string', enum: def.values ?? [] });
    case 'union':
      return withDescription(schema, unionSchema(def));
    case 'unknown':
    case 'any':
      return withDescription(schema, { 'x-kubernetes-preserve-unknown-fields': true });
    default:
      throw new Error(`cannot express a zod ${def.type} in a structural schema`);
  }
}
