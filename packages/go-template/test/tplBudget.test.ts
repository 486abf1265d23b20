/**
 * `tpl` runs its template on the caller's budget: a tenant cannot escape the step, output, depth or
 * time limits by nesting templates in strings.
 */
import { describe, expect, it } from 'vitest';
import { TemplateLimitError, type TemplateLimit, renderTemplate } from '../src/index.js';

function limitOf(run: () => unknown): TemplateLimit {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateLimitError) return error.limit;
    throw error;
  }
  throw new Error('expected a TemplateLimitError');
}

describe('tpl and the render budget', () => {
  it("counts the nested template's steps against the caller's budget", () => {
    const text = '{{ range 300 }}{{ end }}{{ tpl "{{ range 300 }}{{ end }}" . }}';
    expect(renderTemplate('t', text, {}, { maxSteps: 700 })).toBe('');
    expect(limitOf(() => renderTemplate('t', text, {}, { maxSteps: 500 }))).toBe('steps');
  });

  it('stops self-referencing tpl at its nesting limit, not the JavaScript stack', () => {
    const data = { t: '{{ tpl .t . }}' };
    expect(limitOf(() => renderTemplate('t', '{{ tpl .t . }}', data))).toBe('depth');
  });

  it('stops exponential tpl fan-out at the step limit', () => {
    // 2^30 leaves within 30 levels: far inside the nesting limit, far beyond any step budget.
    const data = Object.fromEntries(
      Array.from({ length: 31 }, (_, i) => [`t${i}`, i === 30 ? 'x' : `{{ tpl .t${i + 1} . }}{{ tpl .t${i + 1} . }}`]),
    );
    expect(limitOf(() => renderTemplate('t', '{{ tpl .t0 . }}', data, { maxSteps: 10_000 }))).toBe('steps');
  });

  it("caps the nested template's output like the caller's", () => {
    const text = '{{ tpl "{{ range 100 }}0123456789{{ end }}" . }}';
    expect(renderTemplate('t', text, {}, { maxOutputBytes: 1000 })).toHaveLength(1000);
    expect(limitOf(() => renderTemplate('t', text, {}, { maxOutputBytes: 999 }))).toBe('outputBytes');
  });

  it("asks the caller's checkpoint (the render deadline) inside the nested template", () => {
    let asked = 0;
    const checkpoint = (): string | undefined => (++asked > 3 ? 'deadline passed' : undefined);
    const text = '{{ tpl "{{ range 100000 }}{{ end }}" . }}';
    expect(limitOf(() => renderTemplate('t', text, {}, { checkpoint, checkpointSteps: 100 }))).toBe('deadline');
    expect(asked).toBe(4);
  });
});
