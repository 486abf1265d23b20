/**
 * The Go types of the Values object templates receive: the NodeClaim as the platform's Go types
 * show it (`.NodeClaim.Name`, `.NodeClaim.Labels`, `.NodeClaim.Spec.Properties`), so that a template
 * written for the platform runs here unchanged, and a field that does not exist is an error as in Go.
 */
import type { GoType, StructField } from '../packages/go-template/src/structs.js';

const str: GoType = { kind: 'string' };
const int: GoType = { kind: 'int' };
const stringMap: GoType = { kind: 'map', elem: str };
const field = (name: string, json: string, type: GoType, doc: string): StructField => ({ name, json, type, doc });

const typeMeta: GoType = {
  kind: 'struct',
  name: 'v1.TypeMeta',
  fields: [
    field('Kind', 'kind', str, 'The kind, `NodeClaim`.'),
    field('APIVersion', 'apiVersion', str, 'The API group and version, `management.loft.sh/v1`.'),
  ],
};

const objectMeta: GoType = {
  kind: 'struct',
  name: 'v1.ObjectMeta',
  fields: [
    field('Name', 'name', str, "The object's name, `worker-1`."),
    field('GenerateName', 'generateName', str, 'The prefix the name was generated from, if any.'),
    field('Namespace', 'namespace', str, 'Its namespace; "" for cluster-scoped objects.'),
    field('UID', 'uid', str, 'The unique ID the apiserver gave it.'),
    field('ResourceVersion', 'resourceVersion', str, 'The version the provider read.'),
    field('Generation', 'generation', int, 'The spec generation, `1`.'),
    field('Labels', 'labels', stringMap, '`index .NodeClaim.Labels "topology.kubernetes.io/zone"`.'),
    field('Annotations', 'annotations', stringMap, 'Annotations, like Labels.'),
    field('Finalizers', 'finalizers', { kind: 'slice', elem: str }, 'Finalizer names.'),
  ],
};

const nodeTypeRequirement: GoType = {
  kind: 'struct',
  name: 'v1.NodeTypeRequirement',
  fields: [
    field('Property', 'property', str, 'The node type property to match.'),
    field('Value', 'value', str, 'The value it must have.'),
  ],
};

const nodeClaimSpec: GoType = {
  kind: 'struct',
  name: 'v1.NodeClaimSpec',
  fields: [
    field('ProviderRef', 'providerRef', str, "The NodeProvider's name, `metal3-provider`."),
    field('TypeRef', 'typeRef', str, 'The node type\'s name, `compute-node`; "" when chosen by selector.'),
    field(
      'NodeTypeSelector',
      'nodeTypeSelector',
      { kind: 'slice', elem: nodeTypeRequirement },
      'Requirements on the node type.',
    ),
    field('Project', 'project', str, 'The project named in the spec ("" when none).'),
    field('Properties', 'properties', stringMap, 'The properties set on the NodeClaim itself (not merged).'),
    field(
      'EnvironmentRef',
      'environmentRef',
      {
        kind: 'pointer',
        elem: {
          kind: 'struct',
          name: 'v1.EnvironmentRef',
          fields: [field('Name', 'name', str, "The NodeEnvironment's name.")],
        },
      },
      'The NodeEnvironment reference; nil when not set (test with `with`).',
    ),
  ],
};

const nodeClaim: GoType = {
  kind: 'struct',
  name: 'v1.NodeClaim',
  fields: [
    { ...field('TypeMeta', '', typeMeta, 'Kind and APIVersion, promoted.'), embedded: true },
    { ...field('ObjectMeta', 'metadata', objectMeta, 'Name, Namespace, Labels, …, promoted.'), embedded: true },
    field('Spec', 'spec', nodeClaimSpec, "The NodeClaim's spec."),
    field(
      'Status',
      'status',
      { kind: 'map', elem: { kind: 'any' } },
      'The status as the controller wrote it (unstructured: `.NodeClaim.Status.phase`).',
    ),
  ],
};

const sshKey: GoType = {
  kind: 'struct',
  name: 'v1.SSHKey',
  fields: [
    field('Name', 'Name', str, "The SSHKey object's name, `alice`."),
    field('PublicKey', 'PublicKey', str, 'The public key line, `ssh-ed25519 AAAA… alice@laptop`.'),
  ],
};

/** The Values object: what `.` is at the top of a user-data or network-data template. */
export const VALUES_TYPE: GoType & { kind: 'struct' } = {
  kind: 'struct',
  name: 'provider.Values',
  fields: [
    field('NodeClaim', 'NodeClaim', nodeClaim, 'The NodeClaim being provisioned: `{{ .NodeClaim.Name }}`.'),
    field('Project', 'Project', str, 'The project the node belongs to; "" when none: `{{ .Project }}`.'),
    field(
      'Properties',
      'Properties',
      stringMap,
      'The effective properties (NodeProvider, node type, NodeEnvironment, NodeClaim merged): `{{ index .Properties "vcluster.com/os-image" }}`.',
    ),
    field(
      'SSHKeys',
      'SSHKeys',
      { kind: 'slice', elem: sshKey },
      'The keys `vcluster.com/ssh-keys` names, in its order: `{{ range .SSHKeys }}{{ .PublicKey }}{{ end }}`.',
    ),
    field(
      'BareMetalHost',
      'BareMetalHost',
      { kind: 'map', elem: { kind: 'any' } },
      'The claimed BareMetalHost, unstructured, without BMC address and credentials: `{{ .BareMetalHost.metadata.name }}`; an empty map in a preview without a host.',
    ),
    field(
      'AllocatedIP',
      'AllocatedIP',
      str,
      'The address IPAM allocated, without prefix (a dual-stack Machine\'s IPv4 one): `10.0.0.5`; "" without IPAM.',
    ),
    field('Gateway', 'Gateway', str, 'The allocated network\'s default gateway: `10.0.0.1`; "" without IPAM.'),
    field(
      'AllocatedIPv6',
      'AllocatedIPv6',
      str,
      'A dual-stack Machine\'s IPv6 address, without prefix: `fd00::5`; "" unless the node type has two networks.',
    ),
    field('GatewayIPv6', 'GatewayIPv6', str, 'The IPv6 network\'s default gateway: `fd00::1`; "" when not dual-stack.'),
  ],
};
