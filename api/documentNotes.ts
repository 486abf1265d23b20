import { formatIssue } from './issues.js';
import type { LocatedDocument, LocatedProblem } from './validateText.js';
import { clusterRefNotes } from './notes/clusterRef.js';
import { environmentOverrideWarnings } from './notes/environmentOverrides.js';
import { unusedPlatformKeyWarnings } from './notes/platformKeys.js';
import { dnsWithoutNetworkWarnings } from './notes/dnsWithoutNetwork.js';

/**
 * What `validate` tells about documents that are valid: a warning is probably a mistake, a note
 * explains how a field is used. Neither makes a document invalid, so neither changes the exit status.
 */
export type NoteSeverity = 'warning' | 'note';

export interface LocatedNote extends LocatedProblem {
  readonly severity: NoteSeverity;
}

/** `file:line: warning: path: message`, the shape of a problem with its severity in front. */
export function formatNote(note: LocatedNote): string {
  return `${note.file}:${note.line}: ${note.severity}: ${formatIssue(note.issue)}`;
}

/** Every warning and note about documents validated together, in the order of the documents. */
export function documentNotes(documents: readonly LocatedDocument[]): LocatedNote[] {
  return [
    ...clusterRefNotes(documents),
    ...environmentOverrideWarnings(documents),
    ...unusedPlatformKeyWarnings(documents),
    ...dnsWithoutNetworkWarnings(documents),
  ].sort(
    (a, b) =>
      documents.findIndex((d) => d.file === a.file) - documents.findIndex((d) => d.file === b.file) || a.line - b.line,
  );
}
