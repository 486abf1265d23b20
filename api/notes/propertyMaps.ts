import type { ValidatedDocument } from '../validateDocument.js';

/** One map of properties a user wrote, with its path in the document. */
export interface PropertyMapAt {
  readonly path: readonly PropertyKey[];
  readonly map: Readonly<Record<string, string>>;
}

/**
 * The property maps of a document that the user writes for this provider. A NodeClaim's metadata
 * annotations are left out: the platform writes its own keys there.
 */
export function propertyMapsOf(document: ValidatedDocument): PropertyMapAt[] {
  const at = (path: readonly PropertyKey[], map: Readonly<Record<string, string>> | undefined): PropertyMapAt[] =>
    map === undefined ? [] : [{ path, map }];
  switch (document.kind) {
    case 'NodeProvider':
      return [
        ...at(['spec', 'properties'], document.value.spec.properties),
        ...document.value.spec.metal3.nodeTypes.flatMap((nodeType, index) => [
          ...at(['spec', 'metal3', 'nodeTypes', index, 'properties'], nodeType.properties),
          ...at(['spec', 'metal3', 'nodeTypes', index, 'annotations'], nodeType.annotations),
        ]),
      ];
    case 'NodeClaim':
    case 'OSImage':
    case 'NodeEnvironment':
      return at(['spec', 'properties'], document.value.spec.properties);
    default:
      return [];
  }
}
