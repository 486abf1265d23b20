import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { KIND_DEFINITIONS, renderCrd } from './crdDefinitions.js';

// Regenerates crds/ from the zod schemas; a unit test fails when the committed files drift.
const crdDirectory = fileURLToPath(new URL('../../crds/', import.meta.url));
for (const definition of KIND_DEFINITIONS) {
  await writeFile(join(crdDirectory, definition.file), renderCrd(definition));
  process.stdout.write(`wrote crds/${definition.file}\n`);
}
