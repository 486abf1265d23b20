/**
 * Templates get Sprig's whole function set (but for what reads the clock, the environment, the
 * network or randomness) and Helm's, exactly the set the Go golden generator renders with, and
 * every one of them is compared with Go's output by the conformance cases.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_FUNCTIONS } from '../src/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const functionSet = JSON.parse(readFileSync(join(fixtures, 'functions.json'), 'utf8')) as {
  functions: string[];
  excluded: Record<string, string>;
};
const cases = JSON.parse(readFileSync(join(fixtures, 'cases.json'), 'utf8')) as { template: string }[];

describe('the template function set', () => {
  it('is the set Go renders the conformance cases with', () => {
    expect([...TEMPLATE_FUNCTIONS]).toEqual(functionSet.functions);
  });

  it('has Helm functions and leaves out only what would make rendering depend on where or when it runs', () => {
    expect(TEMPLATE_FUNCTIONS).toEqual(
      expect.arrayContaining([
        'toYaml',
        'fromYaml',
        'toJson',
        'fromJson',
        'required',
        'tpl',
        'mustRegexMatch',
        'mergeOverwrite',
      ]),
    );
    for (const name of ['now', 'env', 'expandenv', 'getHostByName', 'randAlphaNum', 'uuidv4', 'genPrivateKey']) {
      expect(TEMPLATE_FUNCTIONS).not.toContain(name);
      expect(functionSet.excluded[name]).toMatch(/clock|environment|network|randomness/);
    }
  });

  it('has every function called by at least one case rendered by Go', () => {
    const called = (name: string): boolean => {
      const re = new RegExp(`(^|[\\s(|{])${name}([\\s)}]|$)`);
      return cases.some((c) => re.test(c.template));
    };
    expect(TEMPLATE_FUNCTIONS.filter((name) => !called(name))).toEqual([]);
  });
});
