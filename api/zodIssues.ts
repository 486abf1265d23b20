import { z } from 'zod';
import { ConfigValidationError, describeValue, type ConfigIssue } from './issues.js';
import { didYouMean } from './suggest.js';
import { definitionOf, unwrapped } from './schemaDefinition.js';

/**
 * Turns zod's issues into messages for people writing YAML: "expected a string, got 32", unknown
 * fields with a "did you mean", enum values listed. Parse with `reportInput: true` so the offending
 * value can be shown.
 */

type Issue = z.core.$ZodIssue;

/** The schema of the field at `path` as declared (wrappers and metadata included). */
function fieldSchemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    if (current === undefined) return undefined;
    const def = definitionOf(unwrapped(current));
    if (def.type === 'object' && typeof segment === 'string') current = def.shape?.[segment];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return undefined;
  }
  return current;
}

/** The object schema at `path`, to list the fields it allows. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  const field = fieldSchemaAt(schema, path);
  return field && unwrapped(field);
}

/**
 * The message for a missing required field whose schema has its own, given with
 * `.meta({ whenMissing: '…' })`: one that says what to write (e.g. a field BMO requires that the
 * spec's examples leave out). Other missing fields are reported as `is required`.
 */
function whenMissing(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  const field = fieldSchemaAt(schema, path);
  const message = field && z.globalRegistry.get(field)?.whenMissing;
  return typeof message === 'string' ? message : undefined;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  array: 'a list',
  tuple: 'a list',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

/** `expected a string, got 32; put it in quotes: "32"`, for zod's and JSON Schema's type names alike. */
export function typeMismatch(expected: readonly string[], input: unknown): string {
  if (input === undefined) return 'is required';
  const names = [...new Set(expected.map(typeName))];
  const wanted = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}` : (names[0] ?? '');
  const hint =
    expected.includes('string') && (typeof input === 'number' || typeof input === 'boolean')
      ? `; put it in quotes: "${String(input)}"`
      : '';
  return `expected ${wanted}, got ${describeValue(input)}${hint}`;
}

/** `"uefi" is not one of UEFI, UEFISecureBoot, legacy; did you mean "UEFI"?` */
export function valueMismatch(values: readonly unknown[], input: unknown): string {
  const strings = values.filter((v): v is string => typeof v === 'string');
  if (values.length === 1) return `must be ${describeValue(values[0])}, not ${describeValue(input)}`;
  const suggestion = typeof input === 'string' ? didYouMean(input, strings) : '';
  return `${describeValue(input)} is not one of ${values.map(String).join(', ')}${suggestion}`;
}

function messageFor(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return typeMismatch([issue.expected], issue.input);
    case 'invalid_union': {
      const expected = issue.errors.flatMap((branch) =>
        branch.flatMap((inner) => (inner.code === 'invalid_type' && inner.path.length === 0 ? [inner.expected] : [])),
      );
      return expected.length > 0 ? typeMismatch(expected, issue.input) : issue.message;
    }
    case 'invalid_value':
      return valueMismatch(issue.values, issue.input);
    case 'too_small':
      return tooSmall(issue.origin, Number(issue.minimum), issue.inclusive ?? true);
    case 'too_big':
      return tooBig(issue.origin, Number(issue.maximum), issue.inclusive ?? true);
    default:
      return issue.message;
  }
}

function tooSmall(origin: string, minimum: number, inclusive: boolean): string {
  if (origin === 'number' || origin === 'int' || origin === 'bigint') {
    return inclusive ? `must be at least ${String(minimum)}` : `must be more than ${String(minimum)}`;
  }
  if (minimum === 1) return 'must not be empty';
  return origin === 'string'
    ? `must be at least ${String(minimum)} characters long`
    : `must have at least ${String(minimum)} entries`;
}

function tooBig(origin: string, maximum: number, inclusive: boolean): string {
  if (origin === 'number' || origin === 'int' || origin === 'bigint') {
    return inclusive ? `must be at most ${String(maximum)}` : `must be less than ${String(maximum)}`;
  }
  return origin === 'string'
    ? `must be at most ${String(maximum)} characters long`
    : `must have at most ${String(maximum)} entries`;
}

export function toConfigIssues(error: z.ZodError, schema: z.ZodType): ConfigIssue[] {
  return error.issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return [{ path: issue.path, message: whenMissing(schema, issue.path) ?? messageFor(issue) }];
    }
    if (issue.code !== 'unrecognized_keys') return [{ path: issue.path, message: messageFor(issue) }];
    const target = schemaAt(schema, issue.path);
    const allowed = target ? Object.keys(definitionOf(target).shape ?? {}) : [];
    return issue.keys.map((key) => ({
      path: [...issue.path, key],
      message: `unknown field ${JSON.stringify(key)}${didYouMean(key, allowed)}`,
    }));
  });
}

/** Validates `value` against `schema`; issues are relative to `basePath`. */
export function validateWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  basePath: readonly PropertyKey[] = [],
): { ok: true; value: z.infer<S> } | { ok: false; issues: ConfigIssue[] } {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  const issues = toConfigIssues(result.error, schema).map((i) => ({ ...i, path: [...basePath, ...i.path] }));
  return { ok: false, issues };
}

/**
 * Parses an object read at run time (from the apiserver or a file) or throws ConfigValidationError
 * naming `subject` and every problem, e.g. `parseConfig(NodeProvider, object, 'NodeProvider "p"')`.
 */
export function parseConfig<S extends z.ZodType>(schema: S, value: unknown, subject: string): z.infer<S> {
  const result = validateWith(schema, value);
  if (!result.ok) throw new ConfigValidationError(subject, result.issues);
  return result.value;
}
