/** Where an effective property's value was written; kept for error messages and the status query. */
export type PropertyOrigin =
  | { readonly kind: 'nodeType'; readonly name: string; readonly field: 'properties' | 'annotations' }
  | { readonly kind: 'nodeClaim'; readonly name: string; readonly field: 'properties' | 'annotations' }
  | { readonly kind: 'nodeEnvironment'; readonly name: string };

export interface EffectiveProperty {
  readonly value: string;
  readonly origin: PropertyOrigin;
}

/** Plain data (it travels through workflow history), keyed by property key. */
export type EffectiveProperties = Readonly<Record<string, EffectiveProperty>>;

export function describeOrigin(origin: PropertyOrigin): string {
  switch (origin.kind) {
    case 'nodeType':
      return `node type "${origin.name}" ${origin.field}`;
    case 'nodeClaim':
      return `NodeClaim "${origin.name}" ${origin.field}`;
    case 'nodeEnvironment':
      return `NodeEnvironment "${origin.name}"`;
  }
}
