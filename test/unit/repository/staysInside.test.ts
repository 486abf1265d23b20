import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findOutsidePaths } from './outsidePaths.js';

// The repository stands alone: a clone runs its tests and scripts without anything beside it.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const SCANNED = ['test', 'scripts', 'bench', 'tools', 'devstack', 'sim', 'packages', '.ci', 'Makefile'];
const TEXT = /(\.(ts|mts|cts|js|mjs|cjs|sh|md|ya?ml|json|go|mod|tmpl)|^Makefile|\/Makefile|^\.ci\/run)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist']);

async function filesUnder(path: string): Promise<string[]> {
  if (!existsSync(join(root, path))) return [];
  if (!(await stat(join(root, path))).isDirectory()) return [path];
  const files: string[] = [];
  for (const entry of await readdir(join(root, path), { withFileTypes: true })) {
    if (SKIPPED_FOLDERS.has(entry.name)) continue;
    files.push(...(entry.isDirectory() ? await filesUnder(join(path, entry.name)) : [join(path, entry.name)]));
  }
  return files;
}

const fixtureRoot = '/checkout/metal3-provider';
/** Spelled in two parts so that this file does not itself name a sibling checkout. */
const check = (file: string, text: string): string[] =>
  findOutsidePaths(fixtureRoot, file, text).map((f) => `${f.line}: ${f.resolved}`);

describe('tests and scripts read nothing outside the repository', () => {
  // Reads and parses some 500 files: seconds on a busy 2-core machine, hence the longer timeout.
  it('no file under the scanned folders names a path outside the repository', async () => {
    const files = (await Promise.all(SCANNED.map(filesUnder))).flat().filter((file) => TEXT.test(file));
    expect(files.length).toBeGreaterThan(100);
    const outside = [];
    for (const file of files) {
      for (const f of findOutsidePaths(root, file, await readFile(join(root, file), 'utf8'))) {
        outside.push(`${f.file}:${f.line}: ${f.text} -> ${f.resolved}`);
      }
    }
    expect(outside).toEqual([]);
  }, 60_000);

  it('flags path chains that climb above the root', () => {
    const testFile = 'test/unit/api/specExamples.test.ts';
    expect(
      check(
        testFile,
        [
          `const here = path.dirname(fileURLToPath(import.meta.url));`,
          `const spec = path.join(here, '..', '..', '..', '..', 'other', 'spec.md');`,
        ].join('\n'),
      ),
    ).toEqual(['2: ../other/spec.md']);
    expect(check(testFile, `await readFile(new URL('../../../../spec.md', import.meta.url));`)).toEqual([
      '1: ../spec.md',
    ]);
    expect(check(testFile, `const docs = join(process.cwd(), '..', 'docs');`)).toEqual(['1: ../docs']);
    expect(
      check(testFile, `import { repoRoot } from './fixtures.js';\nconst spec = join(repoRoot, '..', 'spec');`),
    ).toEqual(['2: ../spec']);
    expect(check('scripts/x.ts', `const out = \`../../out/\${name}\`;`)).toEqual(['1: ../out']);
    expect(check('.ci/run', `cd "$(dirname "$0")/../.."`)).toEqual(['1: ..']);
    expect(check('bench/x/run.sh', `here="$(cd "$(dirname "$0")" && pwd)"\ncat "$here/../../../notes"`)).toEqual([
      '2: ..',
    ]);
    expect(check('Makefile', `spec:\n\tcp ../spec.md docs/`)).toEqual(['2: ..']);
  });

  it('passes imports and paths that stay inside', () => {
    const testFile = 'test/unit/api/specExamples.test.ts';
    expect(
      check(
        testFile,
        [
          `import { resolveTool } from '../../../devstack/resolveTool.js';`,
          `const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');`,
          `const examples = join(repoRoot, 'docs', 'spec-examples');`,
          `const url = new URL('../../fixtures/api/', import.meta.url);`,
          `it.each(['../etc/passwd', 'a/../../b'])('refuses %j', () => undefined);`,
          `const ellipsis = '...';`,
          `const root = await mkdtemp(join(tmpdir(), 'x-'));`,
          `const outsideTemp = join(root, '..', '..');`,
        ].join('\n'),
      ),
    ).toEqual([]);
    expect(check('.ci/run', `cd "$(dirname "$0")/.."`)).toEqual([]);
    expect(
      check(
        'packages/t/bench/run.sh',
        `here="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"\nroot="$(cd "$here/../../.." && pwd)"`,
      ),
    ).toEqual([]);
  });
});
