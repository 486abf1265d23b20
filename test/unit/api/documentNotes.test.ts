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
});
