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
