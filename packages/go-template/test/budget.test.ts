/** The step budget and the typed limit errors: what counts as a step, where the error points, what it keeps out. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CHECKPOINT_STEPS,
  DEFAULT_MAX_STEPS,
  TemplateExecError,
  TemplateLimitError,
  TemplateParseError,
  renderTemplate,
  safeTemplateReason,
} from '../src/index.js';
import { limitError } from './limitError.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The smallest budget the template renders within. */
function stepsOf(text: string, data: unknown): number {
  let low = 0;
  let high = DEFAULT_MAX_STEPS;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    try {
      renderTemplate('t', text, data, { maxSteps: mid });
      high = mid;
    } catch (error) {
      if (!(error instanceof TemplateLimitError)) throw error;
      low = mid + 1;
    }
  }
  return low;
}

describe('step budget', () => {
  it('counts range iterations, template calls and function calls', () => {
    expect(stepsOf('{{ range 5 }}x{{ end }}', null)).toBe(5);
    expect(stepsOf('{{ define "d" }}x{{ end }}{{ template "d" }}{{ template "d" }}', null)).toBe(2);
    expect(stepsOf('{{ upper "a" | lower }}{{ len "abc" }}', null)).toBe(3);
    expect(stepsOf('plain text {{ .a }} {{ if .a }}yes{{ end }}', { a: 1 })).toBe(0);
  });

  it('charges functions that build lists or text by their size, before they build it', () => {
    // One step for the call, one for each element: [0 1 2 3 4].
    expect(stepsOf('{{ until 5 }}', null)).toBe(1 + 5);
    // [0 3 6 9], [10 5], [].
    expect(stepsOf('{{ untilStep 0 10 3 }}{{ untilStep 10 0 -5 }}{{ untilStep 0 10 -1 }}', null)).toBe(5 + 3 + 1);
    // "1 2 3 4", "2 1 0 -1", "0 2 4", "".
    expect(stepsOf('{{ seq 4 }}{{ seq 2 -1 }}{{ seq 0 2 5 }}{{ seq 5 1 0 }}', null)).toBe(5 + 5 + 4 + 1);
    expect(stepsOf('{{ repeat 128 "ab" }}', null)).toBe(1 + 4);
    expect(stepsOf('{{ indent 64 "a\\nb" }}{{ nindent 2 "c" }}', null)).toBe(1 + 2 + 1 + 1);
    // Each stops at its call (Go's byte column), having built nothing.
    for (const [text, col] of [
      ['{{ until 1000000000 }}', 3],
      ['{{ untilStep 0 9000000000000000000 1 }}', 3],
      ['{{ seq -1000000000 }}', 3],
      ['{{ len (repeat 1000000000 "abc") }}', 8],
      ['{{ indent 1000000000 "x" }}', 3],
    ] as const) {
      const error = limitError(() => renderTemplate('t', text, null));
      expect([text, error.limit, error.position]).toEqual([text, 'steps', { name: 't', line: 1, col }]);
    }
  });

  it('stops a billion-iteration range at the range, naming the limit and the position', () => {
    const error = limitError(() => renderTemplate('ud', 'a\nb {{ range $i := 1000000000 }}{{ $i }}{{ end }}', null));
    expect(error).toBeInstanceOf(TemplateExecError);
    expect(error.limit).toBe('steps');
    expect(error.position).toEqual({ name: 'ud', line: 2, col: 11 });
    expect(error.reason).toBe(
      `exceeded the step budget of ${DEFAULT_MAX_STEPS} (range iterations, template and function calls)`,
    );
    expect(error.message).toMatch(/^template: ud:2:11: executing "ud" at <\{\{range \$i := 1000000000}}/);
  });

  it('takes the budget from the options', () => {
    expect(renderTemplate('t', '{{ range 10 }}.{{ end }}', null, { maxSteps: 10 })).toBe('..........');
    expect(limitError(() => renderTemplate('t', '{{ range 11 }}.{{ end }}', null, { maxSteps: 10 })).reason).toMatch(
      /step budget of 10 /,
    );
  });

  it('leaves the spec examples and the benchmark inputs far inside the default budget', () => {
    const inputs = join(packageRoot, 'bench', 'inputs');
    const data: unknown = JSON.parse(readFileSync(join(inputs, 'data.json'), 'utf8'));
    for (const file of ['spec-user-data.tmpl', 'large-200.tmpl']) {
      const steps = stepsOf(readFileSync(join(inputs, file), 'utf8'), data);
      expect(steps).toBeGreaterThan(10);
      expect(steps * 100).toBeLessThan(DEFAULT_MAX_STEPS);
    }
  });

  it('asks the checkpoint every CHECKPOINT_STEPS steps and stops where it says, at the current position', () => {
    let calls = 0;
    const error = limitError(() =>
      renderTemplate('t', '{{ range 100000 }}{{ end }}', null, {
        checkpoint: (where) => {
          calls++;
          expect(where()).toEqual({ name: 't', line: 1, col: 9 });
          return calls === 3 ? 'ran past the deadline of 5 ms' : undefined;
        },
      }),
    );
    expect(calls).toBe(3);
    expect(error.limit).toBe('deadline');
    expect(error.reason).toBe('ran past the deadline of 5 ms');
    expect(CHECKPOINT_STEPS).toBeGreaterThan(1);
  });

  it('makes the output and depth limits typed too', () => {
    expect(
      limitError(() => renderTemplate('t', '{{ range 20 }}0123456789{{ end }}', null, { maxOutputBytes: 100 })).limit,
    ).toBe('outputBytes');
    expect(
      limitError(() => renderTemplate('t', '{{ define "x" }}{{ template "x" }}{{ end }}{{ template "x" }}', null))
        .limit,
    ).toBe('depth');
  });
});

describe('safeTemplateReason', () => {
  const secret = 'hunter2-s3cr3t';

  function execReason(text: string, data: unknown): string {
    try {
      renderTemplate('t', text, data, { missingKey: 'error' });
    } catch (error) {
      if (error instanceof TemplateExecError || error instanceof TemplateParseError) return error.reason;
      throw error;
    }
    throw new Error('expected an error');
  }

  it.each([
    ['a function error quoting its argument', `{{ fail "${secret}" }}`, 'error calling fail'],
    ['a value that cannot be ranged over', '{{ range .s }}{{ end }}', "range can't iterate over this value"],
    ['a missing key named in the template', `{{ .${'k' + secret.replace(/-/g, '')} }}`, 'map has no entry for the key'],
    ['a required value', `{{ required "${secret}" "" }}`, 'error calling required'],
    ['an argument to a non-function', `{{ .s "${secret}" }}`, 'a map key is not a method but has arguments'],
    ['a literal of the wrong type', `{{ upper 1 }}`, 'expected string'],
  ])('keeps out the data and template text of %s', (_what, text, safe) => {
    const reason = execReason(text, { s: secret, n: 1 });
    expect(reason).not.toBe(safe);
    expect(safeTemplateReason(reason)).toBe(safe);
    expect(safeTemplateReason(reason)).not.toMatch(/hunter2|s3cr3t/);
  });

  it.each([
    [`{{ "${secret}" | nosuchfunc }}`, 'function not defined'],
    [`{{ if }}${secret}`, 'missing value for if'],
    [`{{ "${secret}" }`, 'unexpected token in operand'],
    [`{{ 9${secret} }}`, 'bad number syntax'],
    [`{{ end }}{{ "${secret}" }}`, 'unexpected token'],
  ])('keeps out the template text of the parse error of %s', (text, safe) => {
    const reason = execReason(text, null);
    expect(safeTemplateReason(reason)).toBe(safe);
  });

  it('keeps reasons that name only types and functions', () => {
    const reason = execReason('{{ upper .n }}', { n: 1 });
    expect(safeTemplateReason(reason)).toBe('wrong type for value; expected string; got int');
    expect(safeTemplateReason(execReason('{{ upper }}', null))).toBe('wrong number of args for upper: want 1 got 0');
  });

  it('replaces quoted text in reasons it does not know', () => {
    expect(safeTemplateReason(`something about "${secret}" and <${secret}>`)).toBe('something about … and …');
  });
});
