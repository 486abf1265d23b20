import { describe, expect, it } from 'vitest';
import { addWorkerTuningOptions, workerTuningOf, type WorkerTuningFlags } from '../../../cli/workerTuningOptions.js';
import { parseFlags } from './parseFlags.js';

const parse = (args: string[], env: Record<string, string> = {}): WorkerTuningFlags =>
  parseFlags(addWorkerTuningOptions, ['METAL3_PROVIDER_MAX_CACHED_WORKFLOWS'], args, env);

describe('worker provisioning --max-cached-workflows', () => {
  it("leaves the SDK's cache size, from the heap limit, when not given", () => {
    expect(workerTuningOf(parse([]))).toEqual({});
  });

  it('takes the count from the flag or the environment, the flag first', () => {
    expect(workerTuningOf(parse(['--max-cached-workflows', '300']))).toEqual({ maxCachedWorkflows: 300 });
    expect(workerTuningOf(parse([], { METAL3_PROVIDER_MAX_CACHED_WORKFLOWS: '250' }))).toEqual({
      maxCachedWorkflows: 250,
    });
    expect(
      workerTuningOf(parse(['--max-cached-workflows', '400'], { METAL3_PROVIDER_MAX_CACHED_WORKFLOWS: '250' })),
    ).toEqual({ maxCachedWorkflows: 400 });
  });

  it('refuses anything but a positive whole number, naming the flag', () => {
    for (const bad of ['0', '-5', '2.5', 'many'])
      expect(() => parse(['--max-cached-workflows', bad]), bad).toThrow(
        /--max-cached-workflows.*not a positive integer/,
      );
  });
});
