import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { BareMetalHost } from '../../api/bareMetalHost.js';
import type { HostIndex, IndexChange } from './hostIndex.js';

export class HostsFileError extends Error {
  constructor(file: string, problems: readonly string[]) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'HostsFileError';
  }
}

/** Indexes every BareMetalHost document of a YAML file (a static host source for demos and tests). */
export async function loadHostsFile(file: string, index: HostIndex): Promise<IndexChange[]> {
  const documents = parseAllDocuments(await readFile(file, 'utf8'));
  const problems: string[] = [];
  const hosts: BareMetalHost[] = [];
  documents.forEach((document, i) => {
    const parsed = BareMetalHost.safeParse(document.toJS());
    if (parsed.success) hosts.push(parsed.data);
    else
      problems.push(
        `document ${i + 1} is not a BareMetalHost: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join(', ')}`,
      );
  });
  if (problems.length > 0) throw new HostsFileError(file, problems);
  return hosts.map((host) => index.updateFromBareMetalHost(host));
}
