/**
 * derivePassword runs scrypt (about a second of CPU a call), so a tenant's template pays for it: each
 * call counts DERIVE_PASSWORD_STEPS against the step budget before any work, and the caller's
 * checkpoint (the render deadline) is asked inside the computation, so the render thread's time limit
 * stops a call midway (test/unit/render/renderPool.test.ts). Its outputs are checked against Go in the conformance cases.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_STEPS, type Checkpoint, renderTemplate } from '../src/index.js';
import { limitError } from './limitError.js';
import { DERIVE_PASSWORD_STEPS } from '../src/sprigCrypto.js';

const CALL = '{{ derivePassword 1 "pin" "password" "user" "example.com" }}';

describe('derivePassword on the template budget', () => {
  it('lets the default budget hold only a handful of calls', () => {
    const calls = Math.floor(DEFAULT_MAX_STEPS / DERIVE_PASSWORD_STEPS);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(5);
  });

  it('refuses a call the budget cannot pay before computing it', () => {
    let asked = 0;
    const error = limitError(() =>
      renderTemplate(
        'one',
        CALL,
        {},
        {
          maxSteps: DERIVE_PASSWORD_STEPS - 1,
          checkpoint: () => {
            asked++;
            return undefined;
          },
        },
      ),
    );
    expect(error.limit).toBe('steps');
    expect(error.message).toContain('at <derivePassword>: exceeded the step budget');
    expect(asked).toBe(0);
  });

  it('stops a template calling it in a loop on the steps limit once the budget is spent', { timeout: 60_000 }, () => {
    // Counting checkpoints counts scrypt's progress: one call's worth, then the loop's.
    let asked = 0;
    const options = {
      checkpoint: (() => {
        asked++;
        return undefined;
      }) as Checkpoint,
      checkpointSteps: 1_000_000_000,
    };
    renderTemplate('one', CALL, {}, options);
    const perCall = asked;
    expect(perCall).toBeGreaterThan(0);
    asked = 0;
    const error = limitError(() =>
      renderTemplate(
        'loop',
        `{{ range 1000000 }}${CALL}{{ end }}`,
        {},
        {
          ...options,
          maxSteps: 2 * DERIVE_PASSWORD_STEPS + 10,
        },
      ),
    );
    expect(error.limit).toBe('steps');
    expect(error.message).toContain('at <derivePassword>: exceeded the step budget');
    expect(asked).toBe(2 * perCall);
  });

  it('asks the checkpoint during one call, so a deadline interrupts it', () => {
    let asked = 0;
    const checkpoint: Checkpoint = () => {
      asked++;
      return asked === 3 ? 'exceeded the time limit of 1 ms' : undefined;
    };
    const error = limitError(() =>
      renderTemplate(
        'slow',
        `before {{ derivePassword 1 "long" "password" "user" "example.com" }}`,
        {},
        {
          checkpoint,
          checkpointSteps: 1_000_000_000,
        },
      ),
    );
    expect(error.limit).toBe('deadline');
    expect(error.reason).toBe('exceeded the time limit of 1 ms');
    expect(error.position).toMatchObject({ name: 'slow', line: 1 });
    expect(asked).toBe(3);
  });
});
