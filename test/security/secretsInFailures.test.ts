import { describe, expect, it } from 'vitest';
import { useMachineStack } from '../support/machineStack.js';
import { historyText } from '../support/historyText.js';

/**
 * Attack: a template that carries a secret (or names one from its data) fails — to parse, at run time,
 * past its step budget — so that the failure message, which workflow history keeps, quotes it. Expected:
 * each Machine fails with a message that names the property and the template position, and the whole
 * history (events, failures, local-activity markers, search attributes), exported without a codec,
 * holds none of the secret text. A well-formed Machine provisions meanwhile.
 */

const TEMPLATE_KEY = 'vcluster.com/user-data-template';

/** One failing template per case; every MARK-… string is secret text that must stay out of history. */
const CASES = [
  {
    name: 'parse-function',
    template: '#cloud-config\nruncmd:\n  - {{ MARK_PARSE_FN_1a2b }}\n',
    position: `${TEMPLATE_KEY}:3`,
    markers: ['MARK_PARSE_FN_1a2b'],
  },
  {
    name: 'parse-string',
    template: '#cloud-config\n# MARK-COMMENT-3c4d\n{{ "MARK-UNTERMINATED-5e6f }}\n',
    position: `${TEMPLATE_KEY}:3`,
    markers: ['MARK-COMMENT-3c4d', 'MARK-UNTERMINATED-5e6f'],
  },
  {
    name: 'run-fail',
    template: '#cloud-config\n# MARK-COMMENT-7a8b\n{{ fail "MARK-FAIL-9c0d" }}\n',
    position: `${TEMPLATE_KEY}:3:3`,
    markers: ['MARK-COMMENT-7a8b', 'MARK-FAIL-9c0d'],
  },
  {
    name: 'run-field',
    template: '#cloud-config\n{{ .NodeClaim.Name.MARK_FIELD_e1f2 }}\n',
    position: `${TEMPLATE_KEY}:2:`,
    markers: ['MARK_FIELD_e1f2'],
  },
  {
    name: 'run-data',
    // The secret is in the data: Go's error for a range over a string quotes the string, here the
    // template's own text as a property value.
    template:
      '#cloud-config\n# MARK-DATA-a3b4\n{{ range index .Properties "vcluster.com/user-data-template" }}{{ end }}\n',
    position: `${TEMPLATE_KEY}:3:`,
    markers: ['MARK-DATA-a3b4'],
  },
  {
    name: 'budget',
    template: '#cloud-config\n# MARK-COMMENT-c5d6\n{{ range $i := 1000000000 }}MARK-LOOP-e7f8{{ end }}\n',
    position: `${TEMPLATE_KEY}:3:`,
    markers: ['MARK-COMMENT-c5d6', 'MARK-LOOP-e7f8'],
  },
] as const;

// A host for every Machine at once (the ones that fail at render have claimed one), and the bystander's.
const stack = useMachineStack({ hosts: CASES.length + 1 });

describe('secret text in failing templates', () => {
  it('stays out of the whole history of every Machine whose template fails', async () => {
    const bystander = await stack.client.provisionMachine(stack.claim('bystander'));
    const handles = await Promise.all(
      CASES.map((c) => stack.client.provisionMachine(stack.claim(c.name, { [TEMPLATE_KEY]: c.template }))),
    );
    for (const [index, c] of CASES.entries()) {
      const machine = { namespace: stack.env.namespace, name: c.name };
      await expect
        .poll(async () => (await stack.client.getMachineStatus(machine))?.phase, { timeout: 60_000, interval: 250 })
        .toMatch(/^(Stuck|Failed)$/);
      const details = (await stack.client.getMachineStatus(machine))?.details ?? '';
      expect(details, c.name).toContain(TEMPLATE_KEY);
      expect(details, c.name).toContain(c.position);
      if (c.name === 'budget') expect(details, c.name).toMatch(/step/i);
      const handle = handles[index];
      if (handle === undefined) throw new Error(`no handle for ${c.name}`);
      await handle.signal('release').catch(() => undefined);
      await handle.result().catch(() => undefined);
      const history = historyText(await handle.fetchHistory());
      // The export holds the Machine's own steps and its failure: the check below can find text.
      expect(history, c.name).toContain(c.name);
      expect(history, c.name).toContain(TEMPLATE_KEY);
      for (const marker of c.markers) expect(history, `${c.name}: ${marker}`).not.toContain(marker);
    }
    expect((await stack.waitForPhase('bystander', 'Ready')).phase).toBe('Ready');
    await bystander.signal('release');
    expect((await bystander.result()).phase).toBe('Released');
  });
});
