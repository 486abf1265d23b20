import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartsDir, HelmCommandError, runHelmWithValues } from '../../support/helmCli.js';
import { useTestEnv } from '../../support/testEnv.js';
import { specHelmValues } from './specHelmValues.js';

// `helm lint` passes every chart with its defaults and with the spec's example values, without
// errors or warnings.
const env = useTestEnv();

/** helm lint's complaints: errors, warnings, and values a template refused (lint logs `fail` as INFO). */
async function lintProblems(chart: string, values: string[]): Promise<string[]> {
  let output: string;
  try {
    const { stdout, stderr } = await runHelmWithValues(env.helmPath, ['lint', join(chartsDir, chart)], values);
    output = `${stdout}${stderr}`;
  } catch (error) {
    if (!(error instanceof HelmCommandError)) throw error;
    output = error.output;
  }
  return output
    .split('\n')
    .filter(
      (line) => /\[(ERROR|WARNING)\]|\] Fail:|chart\(s\) failed/.test(line) && !/ 0 chart\(s\) failed/.test(line),
    );
}

const CASES: { chart: string; example?: [string, 'metal3' | 'dhcp' | 'multus'] }[] = [
  { chart: 'metal3-provider-dhcp-server' },
  { chart: 'metal3-provider-dhcp-server', example: ['deploy-dhcp-bridge-fragment.yaml', 'dhcp'] },
  { chart: 'metal3-provider-dhcp-server', example: ['deploy-dhcp-macvlan-fragment.yaml', 'dhcp'] },
  { chart: 'metal3-provider-dhcp-server', example: ['deploy-dhcp-hostnetwork-fragment.yaml', 'dhcp'] },
  { chart: 'metal3' },
  { chart: 'metal3', example: ['deploy-metal3-fragment.yaml', 'metal3'] },
  { chart: 'multus' },
  { chart: 'multus', example: ['deploy-multus-fragment.yaml', 'multus'] },
  { chart: 'metal3-provider' },
];

describe('helm lint', () => {
  it.each(CASES.map((c) => ({ ...c, with: c.example?.[0] ?? 'default values' })))(
    '$chart with $with',
    async ({ chart, example }) => {
      const values = example ? [await specHelmValues(...example)] : [];
      expect(await lintProblems(chart, values)).toEqual([]);
    },
  );

  it('reports a value the chart refuses (the check above can fail)', async () => {
    const problems = await lintProblems('metal3-provider-dhcp-server', [
      'networkAttachmentDefinition:\n  vip: not-an-address\n',
    ]);
    // The chart's values.schema.json refuses it, at its path: the schema `validate` checks helmValues with.
    expect(problems.join('\n')).toMatch(
      /at '\/networkAttachmentDefinition\/vip': 'not-an-address' does not match pattern/,
    );
  });
});
