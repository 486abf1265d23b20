import { catalogue, withClaimInCatalogue, type Catalogue } from '../crossDocument.js';
import type { LocatedNote } from '../documentNotes.js';
import type { NodeClaim } from '../nodeClaim.js';
import type { LocatedDocument } from '../validateText.js';

interface Override {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * The claim's own values its NodeEnvironment replaces. A NodeEnvironment is merged last, over the
 * claim (docs/reference.md says why); that is easy to miss, so it is said where the claim sets the
 * value. Only when the NodeProvider and the environment are given with the claim: without them the
 * merge cannot be done, and resolution problems are crossDocumentProblems' to report.
 */
function overrides(claim: NodeClaim, known: Catalogue): Override[] {
  return withClaimInCatalogue(claim, known, ({ environment, effective }) => {
    if (!environment) return [];
    return Object.entries(effective).flatMap(([key, { value, overrides: replaced }]) => {
      if (replaced?.origin.kind !== 'nodeClaim') return [];
      const path =
        replaced.origin.field === 'properties' ? ['spec', 'properties', key] : ['metadata', 'annotations', key];
      const message =
        `NodeEnvironment "${environment.metadata.name}" sets ${key} to ${JSON.stringify(value)}, which replaces ` +
        `this value: a NodeEnvironment is merged after the NodeClaim; remove the key from one of them`;
      return [{ path, message }];
    });
  });
}

/** A warning at each NodeClaim property a NodeEnvironment given with it would override. */
export function environmentOverrideWarnings(documents: readonly LocatedDocument[]): LocatedNote[] {
  const known = catalogue(documents);
  return documents.flatMap(({ file, source, document }) =>
    document.kind === 'NodeClaim'
      ? overrides(document.value, known).map(({ path, message }) => ({
          severity: 'warning' as const,
          file,
          line: source.lineOf(path),
          issue: { path, message },
        }))
      : [],
  );
}
