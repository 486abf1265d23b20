import type { LocatedNote } from '../documentNotes.js';
import type { LocatedDocument } from '../validateText.js';

const PATH = ['spec', 'metal3', 'clusterRef'];

/**
 * The spec's clusterRef names a platform-connected cluster; this provider instead works in the
 * cluster its kubeconfig points at, so `validate` says what each field does here rather than let a
 * user believe `cluster` selects one.
 */
export function clusterRefNotes(documents: readonly LocatedDocument[]): LocatedNote[] {
  return documents.flatMap(({ file, source, document }) => {
    if (document.kind !== 'NodeProvider') return [];
    const { cluster, namespace } = document.value.spec.metal3.clusterRef;
    const message =
      `this provider works in the cluster of its kubeconfig; clusterRef.namespace "${namespace}" is the namespace ` +
      `there of the BareMetalHosts (and of the Metal3 releases and the Machines' snapshot Secrets); ` +
      `clusterRef.cluster "${cluster}" is not used to select a cluster`;
    return [{ severity: 'note' as const, file, line: source.lineOf(PATH), issue: { path: PATH, message } }];
  });
}
