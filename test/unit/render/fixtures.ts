import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { NodeClaim } from '../../../api/nodeClaim.js';
import { NodeProvider } from '../../../api/nodeProvider.js';
import { SSHKey } from '../../../api/sshKey.js';
import type { EffectiveProperties, PropertyOrigin } from '../../../api/resolve/origin.js';
import { renderSpecOf, type MachineRenderInput } from '../../../render/renderSpec.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const specExamples = path.join(repoRoot, 'docs', 'spec-examples');

export function readExample(name: string): string {
  return readFileSync(path.join(specExamples, name), 'utf8');
}

/** The spec's example annotations (a fragment file holding `annotations:`). */
export function exampleAnnotations(name: string): Record<string, string> {
  return (parse(readExample(name)) as { annotations: Record<string, string> }).annotations;
}

export function exampleProvider(): NodeProvider {
  return NodeProvider.parse(parse(readExample('nodeprovider-full.yaml')));
}

/** A valid OpenSSH ed25519 public key line whose key bytes are all `fill`. */
export function ed25519Key(fill: number, comment: string): string {
  const type = Buffer.from('ssh-ed25519');
  const blob = Buffer.alloc(4 + type.length + 4 + 32, fill);
  blob.writeUInt32BE(type.length, 0);
  type.copy(blob, 4);
  blob.writeUInt32BE(32, 4 + type.length);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

export function sshKey(name: string, publicKey: string): SSHKey {
  return SSHKey.parse({ apiVersion: 'management.loft.sh/v1', kind: 'SSHKey', metadata: { name }, spec: { publicKey } });
}

export function nodeClaim(name: string, annotations: Record<string, string> = {}): NodeClaim {
  return NodeClaim.parse({
    apiVersion: 'management.loft.sh/v1',
    kind: 'NodeClaim',
    metadata: { name, namespace: 'team-a', annotations },
    spec: { providerRef: 'metal3-provider', typeRef: 'compute-node' },
  });
}

const origin: PropertyOrigin = { kind: 'nodeType', name: 'compute-node', field: 'properties' };

/** Effective properties as if all were set on the node type's properties. */
export function effectiveOf(values: Record<string, string>): EffectiveProperties {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value, origin }]));
}

export interface MimeEntity {
  readonly headers: Map<string, string>;
  readonly body: string;
}

/** Splits a MIME document the way Python's email parser (cloud-init's) does, for one level of parts. */
export function parseMultipart(text: string): { headers: Map<string, string>; parts: MimeEntity[] } {
  const top = parseEntity(text);
  const boundary = /boundary="?([^";]+)"?/.exec(top.headers.get('content-type') ?? '')?.[1];
  if (boundary === undefined) throw new Error('not multipart');
  const [, ...sections] = top.body.split(new RegExp(`(?:^|\\n)--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const closing = sections.findIndex((section) => section.startsWith('--'));
  if (closing < 0) throw new Error('no closing boundary');
  return {
    headers: top.headers,
    parts: sections.slice(0, closing).map((section) => parseEntity(section.replace(/^\n/, ''))),
  };
}

function parseEntity(text: string): MimeEntity {
  const end = text.indexOf('\n\n');
  const headers = new Map<string, string>();
  for (const line of text.slice(0, end).split('\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: text.slice(end + 2) };
}

/** A render input from properties not parsed yet, as a test writes them. */
export type UnparsedRenderInput = Parameters<typeof renderSpecOf>[0] &
  Pick<MachineRenderInput, 'bareMetalHost' | 'lease' | 'bootMacAddress'>;

/** The render input the resolve step and a claimed host would give for `input`. */
export function renderInput({
  bareMetalHost,
  lease,
  bootMacAddress,
  ...sources
}: UnparsedRenderInput): MachineRenderInput {
  return { ...renderSpecOf(sources), bareMetalHost, lease, bootMacAddress };
}
