import type { z } from 'zod';

/**
 * The parts of zod's schema definitions that code walking a schema reads: to list the fields an
 * object allows (for "did you mean") and to generate CRDs.
 */
export interface SchemaDefinition {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  /** Set on optional, default and nullable wrappers. */
  innerType?: z.ZodType;
  /** Set on pipes (transforms): the input side is what users write. */
  in?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: (string | number | boolean)[];
  /** Set on default wrappers: the value used when the field is missing. */
  defaultValue?: unknown;
  /** Checks added to a schema (`.min()`, `.regex()`, `.int()`, refinements). */
  checks?: readonly { _zod: { def: CheckDefinition } }[];
  /** Set when the schema is itself a check, as `z.int()` and `z.iso.datetime()` are. */
  check?: string;
  format?: string;
}

/** The parts of a zod check's definition that the CRD generator reads. */
export interface CheckDefinition {
  check: string;
  format?: string;
  pattern?: RegExp;
  value?: unknown;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
}

/** Every check of a schema, including the schema itself when it is one. */
export function checksOf(definition: SchemaDefinition): CheckDefinition[] {
  const own = definition.check === undefined ? [] : [definition as CheckDefinition];
  return [...own, ...(definition.checks ?? []).map((check) => check._zod.def)];
}

export function definitionOf(schema: z.ZodType): SchemaDefinition {
  return schema.def;
}

/** The schema inside optional/default/nullable/pipe wrappers. */
export function unwrapped(schema: z.ZodType): z.ZodType {
  const definition = definitionOf(schema);
  const inner = definition.innerType ?? definition.in;
  return inner ? unwrapped(inner) : schema;
}
