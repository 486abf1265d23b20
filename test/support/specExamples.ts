import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../devstack/devstack.js';

/** The project's copy of the spec's YAML examples, as the spec gives them. */
export const specExamplesDir = join(projectRoot, 'docs', 'spec-examples');

export async function readSpecExample(file: string): Promise<string> {
  return readFile(join(specExamplesDir, file), 'utf8');
}

/** A spec example as an object, moved into `namespace` so that test files do not collide. */
export async function specExampleIn<T extends { metadata: { namespace?: string } }>(
  file: string,
  namespace: string,
): Promise<T> {
  const doc = parse(await readSpecExample(file)) as T;
  doc.metadata.namespace = namespace;
  return doc;
}
