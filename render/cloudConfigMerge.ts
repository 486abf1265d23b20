import { Document, isMap, isScalar, isSeq, parse, parseDocument } from 'yaml';
import { SSH_KEY_TYPES } from '../api/sshPublicKey.js';
import { yamlErrorReason } from '../api/properties/documents.js';
import { DocumentFormatError } from './errors.js';

export const CLOUD_CONFIG_HEADER = '#cloud-config';

/** What the platform adds to every Machine's cloud-config. */
export interface CloudConfigAdditions {
  /** Public key lines for the top-level `ssh_authorized_keys`. */
  readonly sshAuthorizedKeys: readonly string[];
  /** Commands appended after the user's own `runcmd` entries: the registration (join) commands. */
  readonly runcmd: readonly string[];
}

// cloud-init reads cloud-config with PyYAML, which is YAML 1.1: `0644` is octal, `yes` is true.
// Parsing and writing as 1.1 keeps such values meaning what the user meant.
const YAML_VERSION = '1.1';

/** The same key whatever its comment or surrounding spaces: `type base64`, else the trimmed line. */
function keyIdentity(line: string): string {
  const fields = line.trim().split(/\s+/);
  const typeAt = fields.findIndex((field) => (SSH_KEY_TYPES as readonly string[]).includes(field));
  const blob = typeAt < 0 ? undefined : fields[typeAt + 1];
  return blob === undefined ? line.trim() : `${fields[typeAt] ?? ''} ${blob}`;
}

function parseCloudConfig(text: string): Document {
  const doc: Document = parseDocument(text, { version: YAML_VERSION, prettyErrors: true });
  const [error] = doc.errors;
  if (error) {
    const line = error.linePos?.[0].line;
    throw new DocumentFormatError(
      `is not valid YAML: ${yamlErrorReason(error)}${line === undefined ? '' : ` (line ${line})`}`,
    );
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    doc.contents = doc.createNode({});
  }
  if (!isMap(doc.contents)) {
    const kind = isSeq(doc.contents) ? 'a list' : 'a single value';
    throw new DocumentFormatError(`must be a YAML mapping of cloud-config directives, not ${kind}`);
  }
  return doc;
}

/**
 * Appends `items` to the list at `key`, creating it. With `identity`, items the list holds already
 * (by that identity) are skipped; without it every item is appended.
 */
function appendToList(
  doc: Document,
  key: string,
  items: readonly string[],
  what: string,
  identity?: (item: string) => string,
): void {
  if (items.length === 0) return;
  let list = doc.get(key, true);
  if (list === undefined || list === null || (isScalar(list) && list.value === null)) {
    list = doc.createNode([]);
    doc.set(key, list);
  }
  if (!isSeq(list)) throw new DocumentFormatError(`${key} must be a list of ${what}`);
  const existing = list.items.flatMap((item) => (isScalar(item) && typeof item.value === 'string' ? [item.value] : []));
  const seen = new Set(identity ? existing.map(identity) : []);
  for (const item of items) {
    if (identity) {
      if (seen.has(identity(item))) continue;
      seen.add(identity(item));
    }
    list.add(doc.createNode(item));
  }
}

/**
 * The user's cloud-config (undefined when there is none) with the platform's additions: SSH keys
 * added to the top-level `ssh_authorized_keys` without duplicates, and the registration commands
 * after the user's `runcmd` entries. The user's comments, anchors and formatting survive. The result
 * starts with `#cloud-config` and is parsed back before it is returned.
 */
export function mergeCloudConfig(text: string | undefined, additions: CloudConfigAdditions): string {
  const doc = text === undefined ? new Document({}, { version: YAML_VERSION }) : parseCloudConfig(text);
  appendToList(doc, 'ssh_authorized_keys', additions.sshAuthorizedKeys, 'SSH public keys', keyIdentity);
  appendToList(doc, 'runcmd', additions.runcmd, 'commands');
  const body = doc.toString({ lineWidth: 0 });
  const result = body.startsWith(CLOUD_CONFIG_HEADER) ? body : `${CLOUD_CONFIG_HEADER}\n${body}`;
  assertCloudConfig(result);
  return result;
}

/** The invariant every generated cloud-config keeps: it parses (as cloud-init will) to a mapping. */
function assertCloudConfig(text: string): void {
  const value: unknown = parse(text, { version: YAML_VERSION });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('the merged cloud-config does not parse back to a mapping');
  }
}
