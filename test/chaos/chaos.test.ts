import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from './injectFaults.js';
import { formatChaosReport, runChaos } from './runChaos.js';

// The short, fixed-seed variant; `node --import tsx test/chaos/main.ts` runs the long one.
describe('chaos', () => {
  it('loses, duplicates and leaks nothing while workers, Temporal and the API server fail', async () => {
    const report = await runChaos({
      seed: 20261124,
      machines: 60,
      faultMinutes: 2,
      hosts: 16,
      workers: 2,
      concurrency: 8,
      simDelayMs: 50,
      faultGapMs: 8000,
      logsTo: 'test-results/chaos-logs',
      log: (line) => process.stderr.write(`[chaos] ${line}\n`),
    });
    process.stderr.write(formatChaosReport(report));
    for (const kind of FAULT_KINDS) expect(report.faults[kind], kind).toBeGreaterThan(0);
    expect(report.proxy.injected, 'API responses injected').toBeGreaterThan(0);
    expect(report.final.violations).toEqual([]);
    expect(report.final.checks).toBeGreaterThan(report.machines * 2);
    expect(report.outcomes.released + report.outcomes.ready).toBe(report.machines);
  }, 900_000);
});
