/**
 * The README's layout table is the map a newcomer reads first: it names every top-level folder of the
 * repository and nothing that is not there, and every folder it names has its own README.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Folders that are outputs or installed dependencies, not part of the repository's tree. */
const NOT_SOURCE = new Set(['node_modules', 'dist', 'coverage', 'test-results', 'test-artifacts']);

function topLevelFolders(): string[] {
  return readdirSync(repoRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !NOT_SOURCE.has(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** Folder names in the first column of the README's Layout table (`api/`, `worker/`, `client/`…). */
function layoutTableFolders(readme: string): string[] {
  const section = readme.slice(readme.indexOf('\n## Layout\n'));
  const table = section.slice(0, section.indexOf('\n## ', 1));
  const folders = table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split(' | ')[0] ?? '').matchAll(/`([^`/]+)\/`/g)].map((m) => m[1] ?? ''));
  return [...new Set(folders)].sort();
}

describe('repository layout', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

  it('the README names every top-level folder, and only folders that exist', () => {
    expect(layoutTableFolders(readme)).toEqual(topLevelFolders());
  });

  it('every top-level folder has a README saying what lives there', () => {
    const missing = topLevelFolders().filter((folder) => !existsSync(join(repoRoot, folder, 'README.md')));
    expect(missing).toEqual([]);
  });

  it('reads the table as written (a folder left out of it is found)', () => {
    const table =
      '\n## Layout\n\n| folder | what |\n| --- | --- |\n| `api/`, `cli/` | x |\n| `k8s/` | y |\n\n## Next\n';
    expect(layoutTableFolders(table)).toEqual(['api', 'cli', 'k8s']);
  });
});
