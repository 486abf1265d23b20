import { describe, expect, it } from 'vitest';
import { documentNotes, formatNote } from '../../../api/documentNotes.js';
import { crossDocumentProblems } from '../../../api/crossDocument.js';
import { validateYamlText } from '../../../api/validateText.js';

/** Documents as `validate` reads them, one file per text. */
function notesOf(files: Record<string, string>): string[] {
  const reports = Object.entries(files).map(([file, text]) => validateYamlText(text, file));
  expect(reports.flatMap((r) => r.problems)).toEqual([]);
  const documents = reports.flatMap((r) => r.documents);
  // Notes never make the documents invalid: the same documents have no problem between them.
  expect(crossDocumentProblems(documents)).toEqual([]);
  return documentNotes(documents).map(formatNote);
}

const PROVIDER = `apiVersion: management.loft.sh/v1
kind: NodeProvider
metadata:
  name: metal3-provider
spec:
  properties:
    vcluster.com/network-environment: dc1
    vcluster.com/os-image: ubuntu-noble
  metal3:
    clusterRef:
      cluster: bare-metal-cluster
      namespace: metal3-system
    nodeTypes:
      - name: compute-node
        bareMetalHosts:
          selector:
            matchLabels:
              role: compute
        properties:
          metal3.vcluster.com/dns-servers: 1.1.1.1
`;

const ENVIRONMENT = `apiVersion: management.loft.sh/v1
kind: NodeEnvironment
metadata:
  name: dc1
spec:
  properties:
    metal3.vcluster.com/network-cidr: 10.0.0.1/24
    metal3.vcluster.com/dns-servers: 10.0.0.53
    metal3-provider.io/ntp-servers: 10.0.0.123
`;

const claim = (properties: string, annotations = '') => `apiVersion: management.loft.sh/v1
kind: NodeClaim
metadata:
  name: worker-1
  namespace: p-default
${annotations}spec:
  providerRef: metal3-provider
  typeRef: compute-node
  properties:
${properties}`;

const CLUSTER_REF_NOTE =
  'provider.yaml:10: note: spec.metal3.clusterRef: this provider works in the cluster of its kubeconfig; ' +
  'clusterRef.namespace "metal3-system" is the namespace there of the BareMetalHosts (and of the Metal3 releases ' +
  'and the Machines\' snapshot Secrets); clusterRef.cluster "bare-metal-cluster" is not used to select a cluster';

describe('what validate tells about valid documents', () => {
  it('notes on every NodeProvider what clusterRef does here, at its line, and nothing more without claims', () => {
    expect(notesOf({ 'provider.yaml': PROVIDER })).toEqual([CLUSTER_REF_NOTE]);
  });

  it("warns at each NodeClaim value the NodeEnvironment (named by the NodeProvider's properties) replaces", () => {
    const notes = notesOf({
      'provider.yaml': PROVIDER,
      'environment.yaml': ENVIRONMENT,
      'claim.yaml': claim(
        [
          '    metal3.vcluster.com/dns-servers: 8.8.8.8',
          // The same value as the environment's: nothing is lost, so nothing is said.
          '    metal3.vcluster.com/network-cidr: 10.0.0.1/24',
          '    vcluster.com/ssh-keys: admin',
          '',
        ].join('\n'),
        '  annotations:\n    metal3-provider.io/ntp-servers: 10.9.9.9\n',
      ),
    });
    expect(notes).toEqual([
      CLUSTER_REF_NOTE,
      'claim.yaml:7: warning: metadata.annotations["metal3-provider.io/ntp-servers"]: NodeEnvironment "dc1" sets metal3-provider.io/ntp-servers to "10.0.0.123", which replaces this value: a NodeEnvironment is merged after the NodeClaim; remove the key from one of them',
      'claim.yaml:12: warning: spec.properties["metal3.vcluster.com/dns-servers"]: NodeEnvironment "dc1" sets metal3.vcluster.com/dns-servers to "10.0.0.53", which replaces this value: a NodeEnvironment is merged after the NodeClaim; remove the key from one of them',
    ]);
  });

  it('does not warn when the environment replaces only NodeProvider or node type values', () => {
    const notes = notesOf({
      'provider.yaml': PROVIDER,
      'environment.yaml': ENVIRONMENT,
      'claim.yaml': claim('    vcluster.com/ssh-keys: admin\n'),
    });
    expect(notes).toEqual([CLUSTER_REF_NOTE]);
  });

  it('cannot tell without the NodeEnvironment, and says nothing rather than guess', () => {
    const notes = notesOf({
      'provider.yaml': PROVIDER,
      'claim.yaml': claim('    metal3.vcluster.com/dns-servers: 8.8.8.8\n'),
    });
    expect(notes).toEqual([CLUSTER_REF_NOTE]);
  });

  it('warns at vcluster.com/* keys this provider does not read, suggesting the one it reads, and keeps them valid', () => {
    const provider = PROVIDER.replace(
      '          metal3.vcluster.com/dns-servers: 1.1.1.1\n',
      '          metal3.vcluster.com/dns-servers: 1.1.1.1\n          vcluster.com/os-imag: ubuntu-noble\n',
    );
    const notes = notesOf({
      'provider.yaml': provider,
      'claim.yaml': claim('    vcluster.com/platform-only: anything\n'),
    });
    expect(notes).toEqual([
      CLUSTER_REF_NOTE,
      'provider.yaml:21: warning: spec.metal3.nodeTypes[0].properties["vcluster.com/os-imag"]: vcluster.com/os-imag is not used by this provider (vcluster.com/* keys belong to the platform); did you mean "vcluster.com/os-image"?',
      'claim.yaml:10: warning: spec.properties["vcluster.com/platform-only"]: vcluster.com/platform-only is not used by this provider (vcluster.com/* keys belong to the platform)',
    ]);
  });

  const DNS_WITHOUT_NETWORK =
    'metal3.vcluster.com/dns-servers has no effect: the provider hands DNS servers out only with an address it allocates, and none of metal3.vcluster.com/network-cidr, metal3.vcluster.com/network-ip-range, vcluster.com/network-environment is set for these Machines; set a network or remove the key';

  it('warns at dns-servers set for Machines that get no network, on the node type and on the claim', () => {
    const withoutEnvironment = PROVIDER.replace('    vcluster.com/network-environment: dc1\n', '');
    const notes = notesOf({
      'provider.yaml': withoutEnvironment,
      'claim.yaml': claim('    metal3.vcluster.com/dns-servers: 8.8.8.8\n'),
    });
    expect(notes).toEqual([
      CLUSTER_REF_NOTE.replace('provider.yaml:10:', 'provider.yaml:9:'),
      `provider.yaml:19: warning: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/dns-servers"]: ${DNS_WITHOUT_NETWORK}`,
      `claim.yaml:10: warning: spec.properties["metal3.vcluster.com/dns-servers"]: ${DNS_WITHOUT_NETWORK}`,
    ]);
  });

  it('says nothing of dns-servers when a network is set or an environment is named', () => {
    const withCidr = PROVIDER.replace(
      '    vcluster.com/network-environment: dc1\n',
      '    metal3.vcluster.com/network-cidr: 10.0.0.1/24\n',
    );
    expect(notesOf({ 'provider.yaml': withCidr }).filter((n) => n.includes('dns-servers'))).toEqual([]);
    // Named, the environment may bring the network; given, it does (ENVIRONMENT sets network-cidr).
    expect(notesOf({ 'provider.yaml': PROVIDER }).filter((n) => n.includes('dns-servers'))).toEqual([]);
    const notes = notesOf({
      'provider.yaml': PROVIDER,
      'environment.yaml': ENVIRONMENT.replace('    metal3.vcluster.com/dns-servers: 10.0.0.53\n', ''),
      'claim.yaml': claim('    metal3.vcluster.com/dns-servers: 8.8.8.8\n'),
    });
    expect(notes).toEqual([CLUSTER_REF_NOTE]);
  });
});
