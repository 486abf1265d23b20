import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_YAML_ALIAS_COUNT, loadYamlDocuments } from '../../api/yaml/loadDocuments.js';
import { MAX_DOCUMENT_FILE_BYTES, readDocumentFiles } from '../../cli/readDocumentFiles.js';

/**
 * Attack: a document file built to exhaust the CLI that reads it (`validate`, `render`): an alias bomb,
 * a file of gigabytes, malformed YAML. Expected: each is refused as a `file:line` problem before it is
 * expanded or parsed, never a stack trace; ordinary files with a few aliases still read.
 */

/** "Billion laughs": each level names the one before nine times, so the last expands to 9^levels values. */
function aliasBomb(levels: number): string {
  const lines = ['kind: SSHKey', 'a0: &a0 ["lol"]'];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'input-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('YAML aliases', () => {
  it('refuses an alias bomb as an error at the line of its document, without expanding it', () => {
    const started = performance.now();
    const loaded = loadYamlDocuments(`---\nkind: Other\n---\n${aliasBomb(9)}`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(loaded.documents).toEqual([]);
    expect(loaded.syntaxErrors).toEqual([
      {
        line: 4,
        message: `aliases expand too far (more than ${MAX_YAML_ALIAS_COUNT} alias uses, weighted by size): an alias bomb is refused`,
      },
    ]);
  });

  it('still reads a few aliases', () => {
    const [doc] = loadYamlDocuments('base: &b {x: 1}\none: *b\ntwo: *b\n').documents;
    expect(doc?.value).toEqual({ base: { x: 1 }, one: { x: 1 }, two: { x: 1 } });
  });
});

describe('readDocumentFiles (validate and render)', () => {
  it('reports an alias bomb and a parse failure as file:line problems', async () => {
    const bomb = join(dir, 'bomb.yaml');
    const broken = join(dir, 'broken.yaml');
    await writeFile(bomb, aliasBomb(12));
    await writeFile(broken, 'kind: SSHKey\nmetadata:\n  name: [unclosed\n');
    const { documents, problems } = await readDocumentFiles([bomb, broken]);
    expect(documents).toEqual([]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe(
      `${bomb}:1: invalid YAML: aliases expand too far (more than ${MAX_YAML_ALIAS_COUNT} alias uses, weighted by size): an alias bomb is refused`,
    );
    expect(problems[1]).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: invalid YAML: `));
    expect(problems.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('refuses a file over the size limit without parsing it, and reads one at the limit', async () => {
    expect(MAX_DOCUMENT_FILE_BYTES).toBe(4 * 1024 * 1024);
    const big = join(dir, 'big.yaml');
    await writeFile(big, `# ${'x'.repeat(MAX_DOCUMENT_FILE_BYTES)}\n`);
    expect((await readDocumentFiles([big])).problems).toEqual([
      `${big}: is larger than the limit of ${MAX_DOCUMENT_FILE_BYTES} bytes; not read`,
    ]);
    const small = join(dir, 'small.yaml');
    await writeFile(small, `# ${'x'.repeat(97)}\n`);
    // Read and parsed: it holds only a comment, which is a problem of its own, not the size limit's.
    expect((await readDocumentFiles([small], 100)).problems).toEqual([
      `${small}:1: the file holds no document (it is empty or only comments)`,
    ]);
    await writeFile(small, `# ${'x'.repeat(98)}\n`);
    expect((await readDocumentFiles([small], 100)).problems).toEqual([
      `${small}: is larger than the limit of 100 bytes; not read`,
    ]);
  });
});
