import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../api/issues.js';
import { crossDocumentProblems } from '../../../api/crossDocument.js';
import { validateYamlText } from '../../../api/validateText.js';

const invalidDir = fileURLToPath(new URL('../../fixtures/api/invalid/', import.meta.url));

/** Each fixture with every message `validate` must print for it, as `line: path: message`. */
const CASES: [file: string, expected: string[]][] = [
  ['apiversion-wrong.yaml', ['1: apiVersion: must be "management.loft.sh/v1", not "management.loft.sh/v2"']],
  [
    'attempts-zero.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3-provider.io/provision-attempts"]: "0" is not a whole number of at least 1',
    ],
  ],
  [
    'bmh-bad-mac-type.yaml',
    [
      '7: spec.bmc.credentialsName: is required',
      '9: spec.bootMACAddress: expected a string, got true; put it in quotes: "true"',
    ],
  ],
  [
    'bmh-dhcp-annotations.yaml',
    [
      '12: spec.bmc.address: "redfsh://192.168.1.100" has the scheme "redfsh", which selects no BMC driver of the Bare Metal Operator; did you mean "redfish"?',
      '9: metadata.annotations["metal3.vcluster.com/dns-servers"]: "dns.google" is not an IPv4 address; write comma-separated IPv4 addresses, e.g. 10.0.0.53,10.0.0.54',
      '8: metadata.annotations["metal3.vcluster.com/gateway"]: "10.0.1.1" is not a host address of the subnet of metal3.vcluster.com/ip-address "10.0.0.20/24"',
    ],
  ],
  [
    'bmh-enum-typos.yaml',
    [
      '12: spec.bootMode: "uefi" is not one of UEFI, UEFISecureBoot, legacy; did you mean "UEFI"?',
      '13: spec.automatedCleaningMode: "enabled" is not one of metadata, disabled',
    ],
  ],
  [
    'bmh-mac-with-dashes.yaml',
    [
      '10: spec.bootMACAddress: "aa-bb-cc-dd-ee-01" is not a MAC address BMO accepts; write six pairs of hex digits separated by ":", e.g. "aa:bb:cc:dd:ee:01"',
    ],
  ],
  [
    'bmh-unknown-field.yaml',
    [
      '10: spec.bmc.disableCertificateVerifcation: unknown field "disableCertificateVerifcation"; did you mean "disableCertificateVerification"?',
      '13: spec.powerOn: unknown field "powerOn"',
    ],
  ],
  [
    'bmh-without-online.yaml',
    [
      '7: spec.online: is required by BMO\'s CRD; write "online: false" (the provider powers the host on when it provisions it) or "online: true"',
    ],
  ],
  [
    'checksum-type-sha1.yaml',
    [
      '22: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/image-checksum-type"]: "sha1" is not a checksum type; use md5, sha256 or sha512, or leave it unset to detect it from the checksum',
    ],
  ],
  [
    'checksum-wrong-length.yaml',
    [
      '21: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/image-checksum"]: "abc123" is not an md5, sha256 or sha512 hex digest (32, 64 or 128 hex digits) nor a URL of a checksum file',
    ],
  ],
  ['comments-only.yaml', ['1: the file holds no document (it is empty or only comments)']],
  [
    'cidr-broadcast-address.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/network-cidr"]: "10.0.0.255/24" names the broadcast address; the host part must be the gateway, e.g. "10.0.0.1/24"',
    ],
  ],
  [
    'cidr-network-address.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/network-cidr"]: "10.0.0.0/24" names the network address; the host part must be the gateway, e.g. "10.0.0.1/24"',
    ],
  ],
  [
    'cidr-no-hosts.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/network-cidr"]: "10.0.0.1/31" leaves no room for hosts; use a prefix length of 30 or less',
    ],
  ],
  [
    'cidr-without-prefix.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/network-cidr"]: "10.0.0.1" is not in CIDR notation; write the gateway and the prefix length, e.g. "10.0.0.1/24"',
    ],
  ],
  [
    'clusterref-bad-namespace.yaml',
    [
      '9: spec.metal3.clusterRef.namespace: "Metal3_System" is not a valid namespace name; use at most 63 lower-case letters, digits and "-"',
    ],
  ],
  ['clusterref-missing-cluster.yaml', ['7: spec.metal3.clusterRef.cluster: is required']],
  [
    'cpu-negative.yaml',
    ['13: spec.metal3.nodeTypes[0].resources.cpu: "-1" is negative; a request must be zero or more'],
  ],
  ['deploy-component-typo.yaml', ['11: spec.metal3.deploy.metal: unknown field "metal"; did you mean "metal3"?']],
  ['deploy-enabled-string.yaml', ['12: spec.metal3.deploy.dhcp.enabled: expected true or false, got "yes"']],
  [
    'dhcp-chartrepo.yaml',
    [
      '13: spec.metal3.deploy.dhcp.chartRepo: "ghcr.io/loft-sh/charts" is not a chart repository; use an oci://, https:// or http:// URL',
    ],
  ],
  [
    'dhcp-version-number.yaml',
    ['13: spec.metal3.deploy.dhcp.version: expected a string, got 1.2; put it in quotes: "1.2"'],
  ],
  [
    'dns-servers-hostname.yaml',
    ['20: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/dns-servers"]: "dns.google" is not an IP address'],
  ],
  ['empty-file.yaml', ['1: the file holds no document (it is empty or only comments)']],
  [
    'gpu-fraction.yaml',
    [
      '13: spec.metal3.nodeTypes[0].resources["nvidia.com/gpu"]: "0.5" is not a whole number; extended resources like nvidia.com/gpu are counted in whole units',
    ],
  ],
  [
    'helmvalues-dhcp-schema.yaml',
    [
      '14: spec.metal3.deploy.dhcp.helmValues.hostNetwork: expected true or false, got "yes"',
      '16: spec.metal3.deploy.dhcp.helmValues.networkAttachmentDefinition.vip: "192.168.100.2" is not an IPv4 address with its prefix length, e.g. 192.168.100.3/24',
      '17: spec.metal3.deploy.dhcp.helmValues.networkAttachmentDefinition.confg: unknown field "confg"; did you mean "config"?',
      '18: spec.metal3.deploy.dhcp.helmValues.networkAttachmentDefinition.config: is not valid JSON: Expected double-quoted property name (line 1, column 44 of the value)',
      '21: spec.metal3.deploy.dhcp.helmValues.extraArgs[0]: "--inspector-extra-kernel-parm=console=ttyS0" is not a flag of the boot server written as one item (--name=value): --inspector-collectors=…, --inspector-extra-kernel-param=…, --installer-extra-kernel-param=…, --tftp-busy-poll=…, --tftp-max-transfers=…, --tftp-max-transfers-per-client=…, --log-level=… or --callback-insecure-skip-verify',
    ],
  ],
  [
    'helmvalues-list.yaml',
    ['13: spec.metal3.deploy.multus.helmValues: must be a YAML mapping (key: value lines), not a list'],
  ],
  [
    'helmvalues-metal3-schema.yaml',
    [
      '15: spec.metal3.deploy.metal3.helmValues.ironic.imag: unknown field "imag"; did you mean "image"?',
      '17: spec.metal3.deploy.metal3.helmValues.ironic.apiPort: expected a whole number, got "6385"',
      '18: spec.metal3.deploy.metal3.helmValues.ironic.httpPort: must be at most 65535, not 70000',
      '21: spec.metal3.deploy.metal3.helmValues.bareMetalOperator.image.repository: "quay.io/Metal3-io/baremetal-operator" is not an image repository (lowercase path, optionally after a registry host), e.g. quay.io/metal3-io/ironic',
      '22: spec.metal3.deploy.metal3.helmValues.bareMetalOperator.image.tag: expected a string, got 0.12; put it in quotes: "0.12"',
    ],
  ],
  [
    'helmvalues-multus-schema.yaml',
    [
      '16: spec.metal3.deploy.multus.helmValues.image.registy: unknown field "registy"; did you mean "registry"?',
      '17: spec.metal3.deploy.multus.helmValues.tolerations: expected a list, got a mapping',
      '21: spec.metal3.deploy.multus.helmValues.resources.limits.memory: "50 MB" is not a Kubernetes quantity, e.g. 100m, 2 or 50Mi',
    ],
  ],
  [
    'helmvalues-not-yaml.yaml',
    [
      '13: spec.metal3.deploy.multus.helmValues: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] (line 3 of the value)',
    ],
  ],
  [
    'image-url-ftp.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/image-url"]: "ftp://images.example.com/noble.img" must be an http:// or https:// URL',
    ],
  ],
  [
    'ip-range-not-a-range.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/network-ip-range"]: "10.0.0.20" is not a range; write FIRST-LAST, e.g. "10.0.0.20-10.0.0.30"',
    ],
  ],
  [
    'ip-range-overlap.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/network-ip-range"]: ranges "10.0.0.20-10.0.0.30" and "10.0.0.25-10.0.0.50" overlap',
    ],
  ],
  [
    'ip-range-reversed.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/network-ip-range"]: range "10.0.0.30-10.0.0.20" ends before it starts',
    ],
  ],
  [
    'kind-missing.yaml',
    ['1: kind: is required; one of NodeProvider, NodeClaim, OSImage, SSHKey, NodeEnvironment, BareMetalHost, Secret'],
  ],
  ['kind-typo.yaml', ['2: kind: unknown kind "NodeProvder"; did you mean "NodeProvider"?']],
  [
    'multi-document-second-bad.yaml',
    ['16: spec.properties["metal3.vcluster.com/dns-servers"]: "10.0.0.1;10.0.0.2" is not an IP address'],
  ],
  [
    'network-data-template-bad.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["vcluster.com/network-data-template"]: template: vcluster.com/network-data-template:1: unexpected EOF',
    ],
  ],
  [
    'network-template-secret-no-namespace.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["vcluster.com/network-data-template-secret"]: "my-network-template" is not a Secret reference; write "<namespace>/<name>"',
    ],
  ],
  [
    'nodeclaim-annotation-conflict.yaml',
    [
      '7: metadata.annotations["metal3.vcluster.com/server-name"]: metal3.vcluster.com/server-name is set both in properties and in annotations; keep only one',
    ],
  ],
  [
    'nodeclaim-environment-range-outside-cidr.yaml',
    [
      '32: spec: range "10.0.0.250-10.0.1.5" of metal3.vcluster.com/network-ip-range (from NodeEnvironment "dc1") is not inside the hosts of metal3.vcluster.com/network-cidr "10.0.0.1/24" (from node type "compute-node" properties)',
    ],
  ],
  [
    'nodeclaim-no-node-type.yaml',
    ['6: spec: names no node type; set typeRef, nodeTypeSelector or the property vcluster.com/node-type'],
  ],
  [
    'nodeclaim-selector-no-match.yaml',
    [
      '26: spec.nodeTypeSelector: no node type of NodeProvider "metal3-provider" has vcluster.com/os-image=ubuntu-jammy',
    ],
  ],
  [
    'nodeclaim-server-name-invalid.yaml',
    [
      '10: spec.properties["metal3.vcluster.com/server-name"]: "Server_01" is not a valid BareMetalHost name; use lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
    ],
  ],
  ['nodeclaim-typeref-and-selector.yaml', ['9: spec.nodeTypeSelector: set typeRef or nodeTypeSelector, not both']],
  [
    'nodeclaim-unknown-type.yaml',
    ['26: spec.typeRef: NodeProvider "metal3-provider" has no node type "compute-nodes"; did you mean "compute-node"?'],
  ],
  [
    'nodeclaim-without-image.yaml',
    [
      '22: spec: metal3.vcluster.com/image-url is not set; set it on the NodeProvider, node type or NodeClaim, or name an OSImage with vcluster.com/os-image',
    ],
  ],
  ['nodeenvironment-no-properties.yaml', ['5: spec.properties: is required']],
  [
    'nodeenvironment-range-outside-cidr.yaml',
    [
      '8: spec.properties["metal3.vcluster.com/network-ip-range"]: range "10.0.0.1-10.0.0.10" of metal3.vcluster.com/network-ip-range contains the gateway of metal3.vcluster.com/network-cidr "10.0.0.1/24"',
      '8: spec.properties["metal3.vcluster.com/network-ip-range"]: range "10.0.1.20-10.0.1.30" of metal3.vcluster.com/network-ip-range is not inside the hosts of metal3.vcluster.com/network-cidr "10.0.0.1/24"',
    ],
  ],
  [
    'nodeenvironment-server-name.yaml',
    [
      '8: spec.properties["metal3.vcluster.com/server-name"]: metal3.vcluster.com/server-name may only be set on a NodeClaim, not on a NodeEnvironment',
    ],
  ],
  [
    'nodetype-checksum-type-mismatch.yaml',
    [
      '22: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/image-checksum-type"]: metal3.vcluster.com/image-checksum-type is sha512 but the checksum has 32 hex digits, not 128',
    ],
  ],
  [
    'nodetype-duplicate-name.yaml',
    [
      '21: spec.metal3.nodeTypes[1].name: node type "compute-node" is already defined at nodeTypes[0]; names must be unique',
    ],
  ],
  [
    'nodetype-name-invalid.yaml',
    [
      '11: spec.metal3.nodeTypes[0].name: "GPU_Server" is not a valid name; use lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
    ],
  ],
  ['nodetype-without-hosts.yaml', ['11: spec.metal3.nodeTypes[0].bareMetalHosts: is required']],
  ['nodetypes-empty.yaml', ['10: spec.metal3.nodeTypes: must not be empty']],
  [
    'nodetypes-typo.yaml',
    [
      '6: spec.metal3.nodeTypes: is required',
      '10: spec.metal3.nodeType: unknown field "nodeType"; did you mean "nodeTypes"?',
    ],
  ],
  [
    'ntp-servers-empty-item.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3-provider.io/ntp-servers"]: item 2 of "10.0.0.5,,10.0.0.6" is empty',
    ],
  ],
  [
    'osimage-checksum-type-mismatch.yaml',
    [
      '9: spec.properties["metal3.vcluster.com/image-checksum-type"]: metal3.vcluster.com/image-checksum-type is sha256 but the checksum has 32 hex digits, not 64',
    ],
  ],
  [
    'osimage-missing-url.yaml',
    ['7: spec.properties: metal3.vcluster.com/image-url is not set; an OSImage must set it'],
  ],
  [
    'osimage-os-image-property.yaml',
    [
      '7: spec.properties["vcluster.com/os-image"]: vcluster.com/os-image may only be set on a NodeProvider, a node type or a NodeClaim, not on an OSImage',
    ],
  ],
  [
    'property-and-annotation.yaml',
    [
      '22: spec.metal3.nodeTypes[0].annotations["vcluster.com/os-image"]: vcluster.com/os-image is set both in properties and in annotations; keep only one',
    ],
  ],
  [
    'property-host-annotation.yaml',
    [
      '8: spec.properties["metal3.vcluster.com/ntp-servers"]: metal3.vcluster.com/ntp-servers is a BareMetalHost annotation that the provider writes, not a property; as a property, use metal3-provider.io/ntp-servers',
    ],
  ],
  [
    'property-node-type-on-nodetype.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["vcluster.com/node-type"]: vcluster.com/node-type may only be set on a NodeClaim, not on a node type',
    ],
  ],
  [
    'property-number.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3-provider.io/provision-attempts"]: expected a string, got 3; put it in quotes: "3"',
    ],
  ],
  [
    'property-server-name-on-nodetype.yaml',
    [
      '21: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/server-name"]: metal3.vcluster.com/server-name may only be set on a NodeClaim, not on a node type',
    ],
  ],
  [
    'property-unknown-own-prefix.yaml',
    [
      '21: spec.metal3.nodeTypes[0].properties["metal3-provider.io/provision-timout"]: unknown property "metal3-provider.io/provision-timout"; did you mean "metal3-provider.io/provision-timeout"?',
    ],
  ],
  [
    'property-unknown-metal3-vcluster.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/image-ur"]: unknown property "metal3.vcluster.com/image-ur"; did you mean "metal3.vcluster.com/image-url"?',
    ],
  ],
  [
    'quantity-128GB.yaml',
    [
      '24: spec.metal3.nodeTypes[1].resources.memory: "128GB" is not a Kubernetes quantity; did you mean "128G" or "128Gi"?',
    ],
  ],
  [
    'quantity-lowercase-suffix.yaml',
    ['13: spec.metal3.nodeTypes[0].resources.memory: "64gi" is not a Kubernetes quantity; did you mean "64Gi"?'],
  ],
  [
    'reserved-addresses-invalid.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3-provider.io/reserved-addresses"]: "10.0.0.256" is not an IPv4 address',
    ],
  ],
  ['resource-list.yaml', ['13: spec.metal3.nodeTypes[0].resources.cpu: expected a string or a number, got a list']],
  [
    'resource-typo.yaml',
    ['13: spec.metal3.nodeTypes[0].resources.memroy: unknown resource "memroy"; did you mean "memory"?'],
  ],
  [
    'selector-bad-label-key.yaml',
    [
      '18: spec.metal3.nodeTypes[0].bareMetalHosts.selector.matchLabels["data center"]: "data center" is not a valid label key: the name must be at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
    ],
  ],
  [
    'selector-bad-label-value.yaml',
    [
      '18: spec.metal3.nodeTypes[0].bareMetalHosts.selector.matchLabels.datacenter: "us east" is not a valid label value; use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
    ],
  ],
  [
    'selector-exists-with-values.yaml',
    [
      '20: spec.metal3.nodeTypes[0].bareMetalHosts.selector.matchExpressions[0].values: operator Exists takes no values; remove them',
    ],
  ],
  [
    'selector-in-without-values.yaml',
    [
      '18: spec.metal3.nodeTypes[0].bareMetalHosts.selector.matchExpressions[0].values: operator In needs at least one value',
    ],
  ],
  [
    'selector-operator-typo.yaml',
    [
      '19: spec.metal3.nodeTypes[0].bareMetalHosts.selector.matchExpressions[0].operator: "Inn" is not one of In, NotIn, Exists, DoesNotExist; did you mean "In"?',
    ],
  ],
  [
    'ssh-keys-empty-item.yaml',
    ['20: spec.metal3.nodeTypes[0].properties["vcluster.com/ssh-keys"]: item 2 of "admin,,ops" is empty'],
  ],
  [
    'sshkey-private.yaml',
    [
      '6: spec.publicKey: this is a private key; use the public key (the contents of the .pub file) and keep the private key secret',
    ],
  ],
  [
    'sshkey-truncated.yaml',
    ['6: spec.publicKey: the key data does not hold a ssh-ed25519 key; copy the whole line of the .pub file'],
  ],
  [
    'sshkey-unknown-type.yaml',
    [
      '6: spec.publicKey: "ssh-ed25591" is not an OpenSSH public key type; expected a line such as "ssh-ed25519 AAAA… user@host"',
    ],
  ],
  ['template-secret-bad-template.yaml', ['9: stringData.template: template: my-user-data-template:7: unexpected EOF']],
  [
    'template-secret-without-template.yaml',
    ['8: stringData: a template Secret must hold the template under the key "template"'],
  ],
  [
    'timeout-not-duration.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["metal3-provider.io/provision-timeout"]: "1 hour" is not a duration; use a number with a unit (h, m, s, ms), e.g. "60m" or "1h30m"',
    ],
  ],
  [
    'user-data-list.yaml',
    [
      '20: spec.metal3.nodeTypes[0].properties["vcluster.com/user-data"]: must be a YAML mapping (key: value lines), not a list',
    ],
  ],
  [
    'user-data-template-unclosed.yaml',
    [
      '20: spec.metal3.nodeTypes[0].annotations["vcluster.com/user-data-template"]: template: vcluster.com/user-data-template:3: unterminated quoted string',
    ],
  ],
  ['yaml-bad-indentation.yaml', ['9: invalid YAML: All mapping items must start at the same column']],
  ['yaml-duplicate-key.yaml', ['8: invalid YAML: Map keys must be unique']],
  ['yaml-list-document.yaml', ['1: a document must be a mapping with apiVersion and kind, not a list']],
];

async function problemsOf(file: string): Promise<string[]> {
  const report = validateYamlText(await readFile(join(invalidDir, file), 'utf8'), file);
  return [...report.problems, ...crossDocumentProblems(report.documents)].map(
    (problem) => `${problem.line}: ${formatIssue(problem.issue)}`,
  );
}

describe('invalid documents are reported with line, field path and an actionable message', () => {
  it.each(CASES)('%s', async (file, expected) => {
    const problems = await problemsOf(file);
    expect(problems).toEqual(expected);
    for (const problem of problems) {
      expect(problem).not.toMatch(/\[object Object\]|\n\s+at |undefined/);
    }
  });

  it('covers at least 40 distinct mistakes', () => {
    expect(new Set(CASES.map(([file]) => file)).size).toBeGreaterThanOrEqual(40);
  });
});
