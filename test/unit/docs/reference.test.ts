import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PROPERTY_CATALOGUE } from '../../../api/properties/catalogue.js';
import { renderReference } from '../../../scripts/renderReference.js';

const committed = () => readFile(new URL('../../../docs/reference.md', import.meta.url), 'utf8');

describe('docs/reference.md', () => {
  it('is what the code says today (run `npm run reference` after changing a property, value or command)', async () => {
    expect(await committed(), 'docs/reference.md is stale: run `npm run reference`').toBe(renderReference());
  });

  it('lists every property key and every command', async () => {
    const text = await committed();
    for (const { key } of PROPERTY_CATALOGUE) expect(text).toContain(`| \`${key}\` |`);
    for (const command of ['machine provision', 'reclaim schedule', 'devstack up', 'worker boot', 'check']) {
      expect(text).toContain(`### \`metal3-provider ${command}`);
    }
  });
});
