import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { PROPERTY_CATALOGUE } from '../../../api/properties/catalogue.js';
import { buildProgram } from '../../../cli/program.js';
import { renderReference } from '../../../scripts/renderReference.js';
import { specExamplesDir } from '../../support/specExamples.js';

const committed = () => readFile(new URL('../../../docs/reference.md', import.meta.url), 'utf8');
const specPage = () => readFile(join(specExamplesDir, 'metal3-node-provider.md'), 'utf8');

/** The lines of one `## ` section of the reference. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/reference.md has no "## ${heading}" section`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** The spec names each property on a line of its own, followed by its `Type:` line. */
function specPropertyKeys(spec: string): string[] {
  const lines = spec.split('\n').map((line) => line.trim());
  return lines.filter((line, i) => /^[\w.-]+\/[\w.-]+$/.test(line) && lines[i + 1]?.startsWith('Type:'));
}

/** First cells of the spec table whose header row starts with `| <header> |`. */
function specTableKeys(spec: string, header: string): string[] {
  const lines = spec.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${header} |`));
  if (start < 0) throw new Error(`the spec has no table headed "${header}"`);
  const rows = lines.slice(start + 2);
  const end = rows.findIndex((line) => !line.includes(' | '));
  return rows.slice(0, end < 0 ? undefined : end).map((row) => row.split(' | ')[0]?.replace(/^\| /, '').trim() ?? '');
}

describe('docs/reference.md', () => {
  it('is what the code says today', async () => {
    expect(await committed(), 'docs/reference.md is stale: run `npm run reference` and commit the result').toBe(
      await renderReference(),
    );
  });

  it('lists every property key of the catalogue and of the spec', async () => {
    const properties = section(await committed(), 'Properties');
    const specKeys = specPropertyKeys(await specPage());
    expect(specKeys).toContain('vcluster.com/os-image');
    expect(specKeys).toContain('vcluster.com/user-data-template-secret');
    for (const key of [...PROPERTY_CATALOGUE.map((p) => p.key), ...specKeys]) {
      expect(properties, `property ${key} is missing from docs/reference.md`).toContain(`| \`${key}\` |`);
    }
  });

  it("lists the spec's per-BareMetalHost DHCP annotations", async () => {
    const annotations = section(await committed(), 'BareMetalHost annotations');
    const specKeys = specTableKeys(await specPage(), 'Annotation');
    expect(specKeys).toEqual([
      'metal3.vcluster.com/ip-address',
      'metal3.vcluster.com/gateway',
      'metal3.vcluster.com/dns-servers',
      'metal3.vcluster.com/ntp-servers',
    ]);
    for (const key of specKeys) {
      expect(annotations, `annotation ${key} is missing from docs/reference.md`).toContain(`| \`${key}\` |`);
    }
  });

  it('has a section for every command and subcommand', async () => {
    const commands = section(await committed(), 'Commands');
    const paths = (command: Command, path: string): string[] =>
      command.commands
        .filter((c) => c.name() !== 'help')
        .flatMap((c) => [`${path} ${c.name()}`, ...paths(c, `${path} ${c.name()}`)]);
    const all = paths(await buildProgram(), 'metal3-provider');
    expect(all).toContain('metal3-provider machine provision');
    for (const name of all) expect(commands).toMatch(new RegExp(`^### \`${name}[\` ]`, 'm'));
  });
});
