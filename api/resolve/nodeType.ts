import { NO_NODE_TYPE_MESSAGE, type NodeClaim, type NodeTypeRequirement } from '../nodeClaim.js';
import type { NodeProvider, NodeType } from '../nodeProvider.js';
import { formatIssue, type ConfigIssue } from '../issues.js';
import { PropertyKeys } from '../properties/keys.js';
import { didYouMean } from '../suggest.js';

/** The NodeClaim field that chose no node type, and why. */
export class NodeTypeSelectionError extends Error {
  constructor(
    readonly claimName: string,
    readonly issue: ConfigIssue,
  ) {
    super(`NodeClaim "${claimName}": ${formatIssue(issue)}`);
    this.name = 'NodeTypeSelectionError';
  }
}

/** The properties a nodeTypeSelector is matched against: the node type's own, plus its name as vcluster.com/node-type. */
export function selectableProperties(nodeType: NodeType): Record<string, string> {
  return { ...nodeType.properties, ...nodeType.annotations, [PropertyKeys.nodeType]: nodeType.name };
}

/** Node types satisfying every requirement, in the NodeProvider's order. */
export function nodeTypesMatching(
  nodeTypes: readonly NodeType[],
  requirements: readonly NodeTypeRequirement[],
): NodeType[] {
  return nodeTypes.filter((nodeType) => {
    const properties = selectableProperties(nodeType);
    return requirements.every(({ property, value }) => properties[property] === value);
  });
}

/**
 * The node type a NodeClaim asks for: `spec.typeRef`, else the first node type matching
 * `spec.nodeTypeSelector`, else the one named by its vcluster.com/node-type property or annotation.
 */
export function selectNodeType(provider: NodeProvider, claim: NodeClaim): NodeType {
  const nodeTypes = provider.spec.metal3.nodeTypes;
  const fail = (path: PropertyKey[], message: string) =>
    new NodeTypeSelectionError(claim.metadata.name, { path, message });
  const byName = (name: string, path: PropertyKey[]): NodeType => {
    const found = nodeTypes.find((nodeType) => nodeType.name === name);
    if (found) return found;
    const names = nodeTypes.map((nodeType) => nodeType.name);
    const hint = didYouMean(name, names) || `; it defines ${names.join(', ')}`;
    throw fail(path, `NodeProvider "${provider.metadata.name}" has no node type "${name}"${hint}`);
  };
  const { typeRef, nodeTypeSelector, properties } = claim.spec;
  if (typeRef !== undefined) return byName(typeRef, ['spec', 'typeRef']);
  if (nodeTypeSelector !== undefined) {
    const [first] = nodeTypesMatching(nodeTypes, nodeTypeSelector);
    if (first) return first;
    const wanted = nodeTypeSelector.map(({ property, value }) => `${property}=${value}`).join(', ');
    throw fail(['spec', 'nodeTypeSelector'], `no node type of NodeProvider "${provider.metadata.name}" has ${wanted}`);
  }
  const fromProperties = properties?.[PropertyKeys.nodeType];
  if (fromProperties !== undefined) return byName(fromProperties, ['spec', 'properties', PropertyKeys.nodeType]);
  const fromAnnotations = claim.metadata.annotations?.[PropertyKeys.nodeType];
  if (fromAnnotations !== undefined) return byName(fromAnnotations, ['metadata', 'annotations', PropertyKeys.nodeType]);
  throw fail(['spec'], NO_NODE_TYPE_MESSAGE);
}
