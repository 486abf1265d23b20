import { cp } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { startChaosStack } from './chaosStack.js';
import { driveMachines, fleetDemand, lastOutcomes, type MachineOutcome } from './driveMachines.js';
import { runFinalChecks, type FinalCheckReport } from './finalChecks.js';
import { FAULT_KINDS, injectFaults, type FaultKind } from './injectFaults.js';
import { SeededRandom } from '../support/seededRandom.js';

export interface ChaosOptions {
  seed: number;
  /** Machines started at least; new ones keep starting until `faultMinutes` have passed. */
  machines: number;
  faultMinutes: number;
  hosts: number;
  workers: number;
  concurrency: number;
  simDelayMs: number;
  /** Mean gap between faults, in ms (each gap drawn from half to one and a half times it). */
  faultGapMs: number;
  /** Copy the product processes' logs here before the stack is torn down. */
  logsTo?: string;
  log?: (line: string) => void;
}

export interface ChaosReport {
  options: Omit<ChaosOptions, 'log'>;
  seconds: number;
  machines: number;
  outcomes: { ready: number; released: number; callRetries: number; operatorRetries: number };
  faults: Record<FaultKind, number>;
  proxy: { writes: number; injected: number };
  final: FinalCheckReport;
}

/**
 * The chaos run: Machines provisioned and released while faults are injected, then the final
 * checks. Every tenth Machine is asked to stay Ready; the oldest of those are released as more come.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const random = new SeededRandom(options.seed);
  const started = Date.now();
  const stack = await startChaosStack(options);
  try {
    const faultsEnd = started + options.faultMinutes * 60_000;
    let driving = true;
    const phases = new Map<string, string>();
    const faults = injectFaults(stack, random, {
      gapMs: [Math.round(options.faultGapMs / 2), Math.round((options.faultGapMs * 3) / 2)],
      until: () => !driving && Date.now() > faultsEnd,
      log: (line) => {
        const inFlight = new Map<string, number>();
        for (const phase of phases.values()) inFlight.set(phase, (inFlight.get(phase) ?? 0) + 1);
        log(`${line}; in flight: ${[...inFlight].map(([phase, n]) => `${n} ${phase}`).join(', ') || 'none'}`);
      },
    });
    let outcomes: MachineOutcome[];
    try {
      outcomes = await driveMachines(
        stack,
        fleetDemand({
          keepReady: Math.floor(options.hosts / 4),
          more: (started) => started < options.machines || Date.now() < faultsEnd,
        }),
        { concurrency: options.concurrency, deadlineMs: 10 * 60_000, phases },
      );
    } finally {
      driving = false;
    }
    const faultCounts = await faults;
    log('faults over; final checks');
    const final = await runFinalChecks(stack, outcomes);
    const counts = stack.proxy.counts();
    const { log: _log, logsTo: _logsTo, ...reported } = options;
    return {
      options: reported,
      seconds: Math.round((Date.now() - started) / 1000),
      machines: new Set(outcomes.map((o) => o.name)).size,
      outcomes: {
        ready: [...lastOutcomes(outcomes)].filter((o) => o.phase === 'Ready' && o.target === 'Ready').length,
        released: [...lastOutcomes(outcomes)].filter((o) => o.phase === 'Released').length,
        callRetries: outcomes.reduce((n, o) => n + o.callRetries, 0),
        operatorRetries: outcomes.reduce((n, o) => n + o.operatorRetries, 0),
      },
      faults: faultCounts,
      proxy: { writes: counts.writes, injected: counts.injected },
      final,
    };
  } finally {
    if (options.logsTo) await cp(stack.logDir, options.logsTo, { recursive: true });
    await stack.stop();
  }
}

export function formatChaosReport(report: ChaosReport): string {
  const { options: o } = report;
  return [
    '# Chaos run',
    '',
    `Machine: ${cpus().length} CPUs, ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; load average at the end ${loadavg()[0]?.toFixed(1) ?? '?'}.`,
    '',
    `Seed ${o.seed}; at least ${o.machines} Machines, faults for at least ${o.faultMinutes} min about every ${o.faultGapMs / 1000} s; ${o.hosts} simulated hosts (step delay ${o.simDelayMs} ms), ${o.workers} provisioning workers, ${o.concurrency} Machines in flight.`,
    '',
    `- Ran ${report.seconds} s, ${report.machines} Machines: ${report.outcomes.released} released and ${report.outcomes.ready} left Ready as asked.`,
    `- Calls retried by the platform during faults: ${report.outcomes.callRetries}; Stuck Machines retried by the operator: ${report.outcomes.operatorRetries}.`,
    `- Faults injected: ${FAULT_KINDS.map((k) => `${k} ${report.faults[k]}`).join(', ')}; API responses injected by the proxy: ${report.proxy.injected} (of ${report.proxy.writes} writes).`,
    `- Final checks: ${report.final.checks} made, ${report.final.violations.length} violated.`,
    ...report.final.violations.map((v) => `  - ${v}`),
    '',
  ].join('\n');
}
