import { ConfigValidationError, type ConfigIssue } from './issues.js';
import type { NodeClaim } from './nodeClaim.js';
import type { NodeEnvironment } from './nodeEnvironment.js';
import type { NodeProvider } from './nodeProvider.js';
import type { OSImage } from './osImage.js';
import { resolveEffectiveProperties, selectEnvironmentName } from './resolve/effectiveProperties.js';
import type { EffectiveProperties } from './resolve/origin.js';
import { NodeTypeSelectionError, selectNodeType } from './resolve/nodeType.js';
import { osImageName, resolveImage } from './resolve/sources.js';
import type { LocatedDocument, LocatedProblem } from './validateText.js';

/** The documents validated together, by kind and name, for checks between them. */
export interface Catalogue {
  readonly providers: ReadonlyMap<string, NodeProvider>;
  readonly environments: ReadonlyMap<string, NodeEnvironment>;
  readonly osImages: ReadonlyMap<string, OSImage>;
}

export function catalogue(documents: readonly LocatedDocument[]): Catalogue {
  const providers = new Map<string, NodeProvider>();
  const environments = new Map<string, NodeEnvironment>();
  const osImages = new Map<string, OSImage>();
  for (const { document } of documents) {
    if (document.kind === 'NodeProvider') providers.set(document.value.metadata.name, document.value);
    if (document.kind === 'NodeEnvironment') environments.set(document.value.metadata.name, document.value);
    if (document.kind === 'OSImage') osImages.set(document.value.metadata.name, document.value);
  }
  return { providers, environments, osImages };
}

/** A NodeClaim merged as provisioning will merge it, from the documents validated with it. */
export interface ClaimInCatalogue {
  readonly environment: NodeEnvironment | undefined;
  readonly effective: EffectiveProperties;
}

/**
 * Merges a NodeClaim's properties with its NodeProvider, node type and NodeEnvironment from the
 * documents at hand; undefined when the NodeProvider, or a NodeEnvironment the claim is given, is not
 * among them (it may exist in the cluster). Throws NodeTypeSelectionError and ConfigValidationError
 * as provisioning would; crossDocumentProblems reports them, the notes skip such claims.
 */
export function resolveClaimInCatalogue(claim: NodeClaim, known: Catalogue): ClaimInCatalogue | undefined {
  const provider = known.providers.get(claim.spec.providerRef);
  if (!provider) return undefined;
  const nodeType = selectNodeType(provider, claim);
  const environmentName = selectEnvironmentName(nodeType, claim, provider);
  const environment = environmentName === undefined ? undefined : known.environments.get(environmentName);
  if (environmentName !== undefined && !environment) return undefined;
  return { environment, effective: resolveEffectiveProperties({ provider, nodeType, nodeClaim: claim, environment }) };
}

/** Runs `check` on the claim merged from the documents at hand; [] when it cannot be merged here. */
export function withClaimInCatalogue<T>(
  claim: NodeClaim,
  known: Catalogue,
  check: (resolved: ClaimInCatalogue) => T[],
): T[] {
  try {
    const resolved = resolveClaimInCatalogue(claim, known);
    return resolved ? check(resolved) : [];
  } catch (error) {
    // Resolution problems are crossDocumentProblems' to report.
    if (error instanceof NodeTypeSelectionError || error instanceof ConfigValidationError) return [];
    throw error;
  }
}

/**
 * Resolves a NodeClaim the way provisioning will, as far as the documents at hand allow: a referenced
 * NodeEnvironment or OSImage that is not among them may exist in the cluster, so it is not an error.
 */
function claimProblems(claim: NodeClaim, known: Catalogue): ConfigIssue[] {
  try {
    const resolved = resolveClaimInCatalogue(claim, known);
    if (!resolved) return [];
    const imageName = osImageName(resolved.effective);
    const osImage = imageName === undefined ? undefined : known.osImages.get(imageName);
    if (imageName === undefined || osImage) resolveImage(resolved.effective, osImage);
    return [];
  } catch (error) {
    if (error instanceof NodeTypeSelectionError) return [error.issue];
    if (error instanceof ConfigValidationError) return error.issues.map(({ message }) => ({ path: ['spec'], message }));
    throw error;
  }
}

/** Checks between documents validated together: each NodeClaim against its NodeProvider, environment and image. */
export function crossDocumentProblems(documents: readonly LocatedDocument[]): LocatedProblem[] {
  const known = catalogue(documents);
  return documents.flatMap(({ file, source, document }) =>
    document.kind === 'NodeClaim'
      ? claimProblems(document.value, known).map((issue) => ({ file, line: source.lineOf(issue.path), issue }))
      : [],
  );
}
