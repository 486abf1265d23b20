import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { KIND_DEFINITIONS, renderCrd } from './crdDefinitions.js';

// Regenerates crds/ (and the chart's copies) from the zod schemas; a unit test fails when the committed files drift.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
for (const definition of KIND_DEFINITIONS) {
  for (const file of [join('crds', definition.file), ...(definition.copies ?? [])]) {
    await writeFile(join(repoRoot, file), renderCrd(definition));
    process.stdout.write(`wrote ${file}\n`);
  }
}
