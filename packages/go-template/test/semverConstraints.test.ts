/**
 * Constraint strings come from template data, so checking them must stay fast on hostile input:
 * the library's validity pattern, run by a backtracking engine, takes exponential time on runs of
 * whitespace between many parts.
 */
import { describe, expect, it } from 'vitest';
import { TemplateExecError, renderTemplate } from '../src/index.js';

function timed(data: { c: string }): { ms: number; result: string | Error } {
  const start = performance.now();
  let result: string | Error;
  try {
    result = renderTemplate('t', '{{ semverCompare .c "1.2.3" }}', data);
  } catch (error) {
    result = error as Error;
  }
  return { ms: performance.now() - start, result };
}

describe('semverCompare on hostile constraints', () => {
  it('rejects thousands of whitespace-separated parts ending in garbage within a second', () => {
    const { ms, result } = timed({ c: '1 \t  '.repeat(5000) + '!' });
    expect(result).toBeInstanceOf(TemplateExecError);
    expect((result as Error).message).toContain('error calling semverCompare: improper constraint: 1 ');
    expect(ms).toBeLessThan(1000);
  });

  it('accepts the same parts when they are well formed', () => {
    const { ms, result } = timed({ c: '>=1 \t , '.repeat(5000) + '<2' });
    expect(result).toBe('true');
    expect(ms).toBeLessThan(1000);
  });
});
