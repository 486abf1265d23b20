// The long chaos run: node --import tsx test/chaos/main.ts [--minutes 30] [--machines 200] [--seed N] [--report FILE]
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { formatChaosReport, runChaos } from './runChaos.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    machines: { type: 'string', default: '200' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    report: { type: 'string', default: 'test/chaos/reports/long-run.md' },
  },
});
const report = await runChaos({
  seed: Number(values.seed),
  machines: Number(values.machines),
  faultMinutes: Number(values.minutes),
  hosts: 40,
  workers: 2,
  concurrency: 16,
  simDelayMs: 100,
  faultGapMs: 10_000,
  log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
});
const text = formatChaosReport(report);
await mkdir(dirname(values.report), { recursive: true });
await writeFile(values.report, text);
process.stdout.write(text);
process.exitCode = report.final.violations.length === 0 ? 0 : 1;
