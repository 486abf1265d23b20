/** Where an effective property's value was written; kept for error messages and the status query. */
export type PropertyOrigin =
  | { readonly kind: 'nodeProvider'; readonly name: string }
  | { readonly kind: 'nodeType'; readonly name: string; readonly field: 'properties' | 'annotations' }
  | { readonly kind: 'nodeClaim'; readonly name: string; readonly field: 'properties' | 'annotations' }
  | { readonly kind: 'nodeEnvironment'; readonly name: string };

export interface EffectiveProperty {
  readonly value: string;
  readonly origin: PropertyOrigin;
  /**
   * The NodeClaim's own value that a NodeEnvironment replaced (the environment is merged last), so
   * the status and errors can say so instead of overriding it silently.
   */
  readonly overrides?: { readonly value: string; readonly origin: PropertyOrigin };
}

/** Plain data (it travels through workflow history), keyed by property key. */
export type EffectiveProperties = Readonly<Record<string, EffectiveProperty>>;

export function describeOrigin(origin: PropertyOrigin): string {
  switch (origin.kind) {
    case 'nodeProvider':
      return `NodeProvider "${origin.name}" properties`;
    case 'nodeType':
      return `node type "${origin.name}" ${origin.field}`;
    case 'nodeClaim':
      return `NodeClaim "${origin.name}" ${origin.field}`;
    case 'nodeEnvironment':
      return `NodeEnvironment "${origin.name}"`;
  }
}

/**
 * The origin of an effective property for the status query, with the claim's value it replaced.
 * `showReplaced` is false for properties whose values may carry secrets: then only the size is told.
 */
export function describeEffectiveOrigin(property: EffectiveProperty, showReplaced = true): string {
  const origin = describeOrigin(property.origin);
  const { overrides } = property;
  if (overrides === undefined) return origin;
  const replaced = showReplaced ? JSON.stringify(overrides.value) : `a value of ${overrides.value.length} characters`;
  return `${origin} (overrides ${replaced} set in ${describeOrigin(overrides.origin)})`;
}
