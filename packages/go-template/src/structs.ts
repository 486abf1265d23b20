/**
 * Go types for typed template data: a description of a Go type (struct, map, slice, basic) that
 * turns JSON into engine values (GoStruct for structs) and lets a template be checked against it
 * before it runs (fieldCheck.ts).
 */
import { GoStruct, typedMap, typedSlice } from './values.js';

export type GoType =
  | { readonly kind: 'struct'; readonly name: string; readonly fields: readonly StructField[] }
  | { readonly kind: 'map'; readonly elem: GoType }
  | { readonly kind: 'slice'; readonly elem: GoType }
  /** A pointer to a struct: nil when the JSON has no value. */
  | { readonly kind: 'pointer'; readonly elem: GoType }
  | { readonly kind: 'string' | 'int' | 'bool' }
  /** interface{}: unstructured data, taken as it is. */
  | { readonly kind: 'any' };

export interface StructField {
  /** The Go field name templates use. */
  readonly name: string;
  /** The JSON key it is read from; '' for an embedded struct inlined into its parent's JSON. */
  readonly json: string;
  readonly type: GoType;
  /** An embedded struct: its fields are promoted (`.NodeClaim.Name` for `.NodeClaim.ObjectMeta.Name`). */
  readonly embedded?: boolean;
  /** What the field holds, for the documentation. */
  readonly doc?: string;
}

/** The Go spelling of a type: `v1.NodeClaim`, `map[string]string`, `[]v1.SSHKey`. */
export function goTypeName(t: GoType): string {
  switch (t.kind) {
    case 'struct':
      return t.name;
    case 'map':
      return `map[string]${goTypeName(t.elem)}`;
    case 'slice':
      return `[]${goTypeName(t.elem)}`;
    case 'pointer':
      return `*${goTypeName(t.elem)}`;
    case 'any':
      return 'interface {}';
    default:
      return t.kind;
  }
}

/** A field of a struct type, promoted fields included. */
export function lookupField(t: GoType & { kind: 'struct' }, name: string): StructField | undefined {
  const own = t.fields.find((f) => f.name === name);
  if (own) return own;
  for (const f of t.fields) {
    if (f.embedded && f.type.kind === 'struct') {
      const promoted = lookupField(f.type, name);
      if (promoted) return promoted;
    }
  }
  return undefined;
}

/** Every field name a struct answers to (its own and the promoted ones). */
export function fieldNames(t: GoType & { kind: 'struct' }): string[] {
  return t.fields.flatMap((f) => (f.embedded && f.type.kind === 'struct' ? [f.name, ...fieldNames(f.type)] : [f.name]));
}

const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The engine value of JSON data as the Go type holds it (zero values for what the JSON lacks). */
export function toGoValue(t: GoType, json: unknown): unknown {
  switch (t.kind) {
    case 'struct': {
      const obj = record(json);
      const fields = new Map<string, unknown>();
      const promoted = new Map<string, unknown>();
      for (const f of t.fields) {
        const value = toGoValue(f.type, f.json === '' ? obj : obj[f.json]);
        fields.set(f.name, value);
        if (f.embedded && value instanceof GoStruct) {
          for (const [k, v] of [...value.fields, ...value.promoted]) if (!promoted.has(k)) promoted.set(k, v);
        }
      }
      return new GoStruct(t.name, fields, promoted, json ?? {});
    }
    case 'pointer':
      return json === undefined || json === null ? null : toGoValue(t.elem, json);
    case 'map': {
      const out = Object.create(null) as Record<string, unknown>;
      for (const [k, v] of Object.entries(record(json))) out[k] = toGoValue(t.elem, v);
      return t.elem.kind === 'any' ? out : typedMap(out, goTypeName(t.elem));
    }
    case 'slice': {
      const items = (Array.isArray(json) ? json : []).map((v) => toGoValue(t.elem, v));
      return t.elem.kind === 'any' ? items : typedSlice(items, goTypeName(t.elem));
    }
    case 'string':
      return typeof json === 'string' ? json : '';
    case 'int':
      return typeof json === 'number' || typeof json === 'bigint' ? json : 0;
    case 'bool':
      return json === true;
    case 'any':
      return json === undefined ? null : json;
  }
}
