import type { NodeClaim } from '../nodeClaim.js';
import type { NodeEnvironment } from '../nodeEnvironment.js';
import type { NodeProvider, NodeType } from '../nodeProvider.js';
import { ConfigValidationError, type ConfigIssue } from '../issues.js';
import { PropertyKeys } from '../properties/keys.js';
import { duplicateMessage, duplicatedKeys } from '../properties/validateProperties.js';
import { networkConsistencyProblems } from '../properties/networkConsistency.js';
import { describeOrigin, type EffectiveProperties, type EffectiveProperty, type PropertyOrigin } from './origin.js';

export function nodeClaimName(claim: NodeClaim): string {
  const { namespace, name } = claim.metadata;
  return namespace === undefined ? name : `${namespace}/${name}`;
}

type Layer = readonly [Readonly<Record<string, string>> | undefined, PropertyOrigin];

/**
 * Annotations Kubernetes and its tools write (`kubectl.kubernetes.io/last-applied-configuration`,
 * `deployment.kubernetes.io/…`, `*.k8s.io/…`): bookkeeping of the object, never properties.
 */
function isKubernetesAnnotation(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const domain = key.slice(0, slash);
  return ['kubernetes.io', 'k8s.io'].some((reserved) => domain === reserved || domain.endsWith(`.${reserved}`));
}

/** An object's annotations as properties: everything but Kubernetes' own. */
function annotationProperties(
  annotations: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  return annotations && Object.fromEntries(Object.entries(annotations).filter(([key]) => !isKubernetesAnnotation(key)));
}

function merge(layers: readonly Layer[]): Record<string, EffectiveProperty> {
  const merged: Record<string, EffectiveProperty> = {};
  for (const [values, origin] of layers) {
    for (const [key, value] of Object.entries(values ?? {})) {
      const replaced = merged[key];
      // Only the environment can replace a claim's value (it is merged after it); keep what it replaced.
      const overridesClaim = replaced?.origin.kind === 'nodeClaim' && replaced.value !== value;
      merged[key] = overridesClaim
        ? { value, origin, overrides: { value: replaced.value, origin: replaced.origin } }
        : { value, origin };
    }
  }
  return merged;
}

/**
 * NodeProvider < node type < NodeClaim, the spec's order ("merged properties on the NodeProvider,
 * NodeType, and NodeClaim"): the more specific object wins. Properties and annotations of one object
 * are read alike; a key in both is rejected because neither could be said to win. The NodeProvider's
 * metadata annotations are not read: the platform writes its own bookkeeping there.
 */
function machineLayers(provider: NodeProvider | undefined, nodeType: NodeType, claim: NodeClaim): Layer[] {
  const claimName = nodeClaimName(claim);
  const issues: ConfigIssue[] = [
    ...duplicatedKeys(nodeType.properties, nodeType.annotations).map((key) => ({
      path: ['nodeTypes', nodeType.name, 'annotations', key],
      message: duplicateMessage(key),
    })),
    ...duplicatedKeys(claim.spec.properties, claim.metadata.annotations).map((key) => ({
      path: ['metadata', 'annotations', key],
      message: duplicateMessage(key),
    })),
  ];
  if (issues.length > 0) throw new ConfigValidationError(`NodeClaim "${claimName}"`, issues);
  return [
    ...(provider ? [[provider.spec.properties, { kind: 'nodeProvider', name: provider.metadata.name }] as const] : []),
    [nodeType.properties, { kind: 'nodeType', name: nodeType.name, field: 'properties' }],
    [annotationProperties(nodeType.annotations), { kind: 'nodeType', name: nodeType.name, field: 'annotations' }],
    [claim.spec.properties, { kind: 'nodeClaim', name: claimName, field: 'properties' }],
    [annotationProperties(claim.metadata.annotations), { kind: 'nodeClaim', name: claimName, field: 'annotations' }],
  ];
}

/**
 * The NodeEnvironment a Machine uses: `vcluster.com/network-environment` from the merged properties
 * of NodeProvider, node type and NodeClaim, which wins over `spec.environmentRef`. Fetch it, then call
 * resolveEffectiveProperties. `provider` is optional only for callers that predate NodeProvider
 * properties; without it those properties are not seen.
 */
export function selectEnvironmentName(
  nodeType: NodeType,
  claim: NodeClaim,
  provider?: NodeProvider,
): string | undefined {
  const merged = merge(machineLayers(provider, nodeType, claim));
  return merged[PropertyKeys.networkEnvironment]?.value ?? claim.spec.environmentRef?.name;
}

export interface EffectivePropertiesInput {
  /** The NodeProvider of the node type: its `spec.properties` are the lowest layer. */
  readonly provider?: NodeProvider;
  readonly nodeType: NodeType;
  readonly nodeClaim: NodeClaim;
  /** The NodeEnvironment named by selectEnvironmentName, if it named one. */
  readonly environment?: NodeEnvironment;
}

/**
 * The properties a Machine is provisioned with: NodeProvider < node type < NodeClaim, then the chosen
 * NodeEnvironment merged in last, over the claim too (docs/reference.md says why); a claim value it
 * replaces is kept in `overrides`. Throws ConfigValidationError when the environment is missing or
 * the merged values contradict each other.
 */
export function resolveEffectiveProperties(input: EffectivePropertiesInput): EffectiveProperties {
  const { provider, nodeType, nodeClaim, environment } = input;
  const subject = `NodeClaim "${nodeClaimName(nodeClaim)}"`;
  const layers = machineLayers(provider, nodeType, nodeClaim);
  const environmentName = selectEnvironmentName(nodeType, nodeClaim, provider);
  if (environmentName !== undefined && environment?.metadata.name !== environmentName) {
    const message = `NodeEnvironment "${environmentName}" does not exist; create it or remove the reference`;
    throw new ConfigValidationError(subject, [{ path: [], message }]);
  }
  if (environment) {
    layers.push([environment.spec.properties, { kind: 'nodeEnvironment', name: environment.metadata.name }]);
  }
  const effective = merge(layers);
  const problems = networkConsistencyProblems(propertyValues(effective), (key) => {
    const origin = effective[key]?.origin;
    return origin ? ` (from ${describeOrigin(origin)})` : '';
  });
  if (problems.length > 0) {
    throw new ConfigValidationError(
      subject,
      problems.map(({ message }) => ({ path: [], message })),
    );
  }
  return effective;
}

/** Just the values, as templates see them in `.Properties`. */
export function propertyValues(effective: EffectiveProperties): Record<string, string> {
  return Object.fromEntries(Object.entries(effective).map(([key, { value }]) => [key, value]));
}
