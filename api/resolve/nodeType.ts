import type { NodeClaim, NodeTypeRequirement } from '../nodeClaim.js';
import type { NodeProvider, NodeType } from '../nodeProvider.js';
import { PropertyKeys } from '../properties/keys.js';
import { didYouMean } from '../suggest.js';

export class NodeTypeSelectionError extends Error {
  constructor(message: string) {
    super(message);
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

function byName(provider: NodeProvider, name: string, how: string): NodeType {
  const nodeTypes = provider.spec.metal3.nodeTypes;
  const found = nodeTypes.find((nodeType) => nodeType.name === name);
  if (found) return found;
  const names = nodeTypes.map((nodeType) => nodeType.name);
  throw new NodeTypeSelectionError(
    `${how} names node type "${name}", which NodeProvider "${provider.metadata.name}" does not define${didYouMean(name, names)}; it defines ${names.join(', ')}`,
  );
}

/**
 * The node type a NodeClaim asks for: `spec.typeRef`, else the first node type matching
 * `spec.nodeTypeSelector`, else the one named by its vcluster.com/node-type property.
 */
export function selectNodeType(provider: NodeProvider, claim: NodeClaim): NodeType {
  const { typeRef, nodeTypeSelector, properties } = claim.spec;
  if (typeRef !== undefined) return byName(provider, typeRef, 'spec.typeRef');
  if (nodeTypeSelector !== undefined) {
    const [first] = nodeTypesMatching(provider.spec.metal3.nodeTypes, nodeTypeSelector);
    if (first) return first;
    const wanted = nodeTypeSelector.map(({ property, value }) => `${property}=${value}`).join(', ');
    throw new NodeTypeSelectionError(
      `no node type of NodeProvider "${provider.metadata.name}" matches nodeTypeSelector ${wanted}`,
    );
  }
  const named = properties?.[PropertyKeys.nodeType] ?? claim.metadata.annotations?.[PropertyKeys.nodeType];
  if (named !== undefined) return byName(provider, named, PropertyKeys.nodeType);
  throw new NodeTypeSelectionError(
    `NodeClaim "${claim.metadata.name}" names no node type; set spec.typeRef, spec.nodeTypeSelector or the property ${PropertyKeys.nodeType}`,
  );
}
