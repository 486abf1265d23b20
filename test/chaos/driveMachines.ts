import type { NodeClaim } from '../../api/nodeClaim.js';
import { API_GROUP_VERSION } from '../../api/objectMeta.js';
import type { MachinePhase } from '../../contracts/machineContract.js';
import { CHAOS_NAMESPACE, CHAOS_PROVIDER, type ChaosStack } from './chaosStack.js';
import { annotateHost } from '../support/annotateHost.js';
import { FAULT_ANNOTATIONS } from './hostAnnotations.js';

export interface MachinePlan {
  name: string;
  /** What the platform asks for in the end: a Machine left Ready, or provisioned and then released. */
  target: 'Ready' | 'Released';
}

export interface MachineOutcome extends MachinePlan {
  phase?: MachinePhase;
  /** Calls that failed during faults and were made again (the platform retries too). */
  callRetries: number;
  /** Times the Machine was Stuck and the operator cleared the host's fault and sent retry. */
  operatorRetries: number;
  error?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Where the driver takes its next Machine from; undefined when there is no more work to start. */
export type PlanSource = (finished: MachineOutcome[]) => MachinePlan | undefined;

/**
 * Plays the platform and an operator, `concurrency` Machines at a time, each plan from `next`:
 * provision, wait for Ready, release when the target is Released, wait for Released. Calls failing
 * while the faults are on are retried; a Stuck Machine gets its host's fault annotations cleared
 * and `retry`.
 */
export async function driveMachines(
  stack: ChaosStack,
  next: PlanSource,
  options: { concurrency: number; deadlineMs: number; phases?: Map<string, string> },
): Promise<MachineOutcome[]> {
  const outcomes: MachineOutcome[] = [];
  const worker = async (): Promise<void> => {
    for (let plan = next(outcomes); plan; plan = next(outcomes)) {
      const outcome = await driveOne(stack, plan, Date.now() + options.deadlineMs, options.phases);
      options.phases?.delete(plan.name);
      outcomes.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes;
}

/** Each Machine's last outcome: a Machine left Ready is released later under the same name. */
export function lastOutcomes(outcomes: MachineOutcome[]): Iterable<MachineOutcome> {
  return new Map(outcomes.map((o) => [o.name, o])).values();
}

/**
 * The platform's demand: new Machines while `more()` says so, every tenth asked to stay Ready; once
 * more than `keepReady` stay Ready, the oldest of them is released (a scale-down), so a long run
 * never needs more hosts than it has.
 */
export function fleetDemand(options: { keepReady: number; more: (started: number) => boolean }): PlanSource {
  let started = 0;
  const released = new Set<string>();
  return (finished) => {
    const kept = finished.filter((o) => o.target === 'Ready' && o.phase === 'Ready' && !released.has(o.name));
    const oldest = kept[0];
    if (oldest && kept.length > options.keepReady) {
      released.add(oldest.name);
      return { name: oldest.name, target: 'Released' };
    }
    if (!options.more(started)) return undefined;
    const index = started++;
    return { name: `chaos-${String(index).padStart(5, '0')}`, target: index % 10 === 0 ? 'Ready' : 'Released' };
  };
}

async function driveOne(
  stack: ChaosStack,
  plan: MachinePlan,
  deadline: number,
  phases: Map<string, string> | undefined,
): Promise<MachineOutcome> {
  const outcome: MachineOutcome = { ...plan, callRetries: 0, operatorRetries: 0 };
  const machine = { namespace: CHAOS_NAMESPACE, name: plan.name };
  const call = async <T>(what: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await what();
      } catch (err) {
        if (Date.now() > deadline) throw err;
        outcome.callRetries++;
        await sleep(1000);
      }
    }
  };
  const reach = async (phase: MachinePhase): Promise<void> => {
    for (;;) {
      const status = await call(() => stack.machines.getMachineStatus(machine));
      outcome.phase = status?.phase;
      phases?.set(plan.name, `${status?.phase ?? 'Pending'}${status?.step ? `/${status.step}` : ''}`);
      if (status?.phase === phase) return;
      if (status?.phase === 'Failed') throw new Error(`Machine failed: ${status.lastError ?? 'no error recorded'}`);
      if (Date.now() > deadline)
        throw new Error(`still ${status?.phase ?? 'unknown'} at the deadline, waiting for ${phase}`);
      if (status?.phase === 'Stuck') {
        outcome.operatorRetries++;
        if (status.host) {
          const host = status.host;
          const cleared = Object.fromEntries(FAULT_ANNOTATIONS.map((key) => [key, null]));
          await call(() => annotateHost(stack.kubeConfig, CHAOS_NAMESPACE, host, cleared));
        }
        await call(() => stack.machines.retryMachine(machine));
      }
      await sleep(500);
    }
  };
  try {
    // A Machine left Ready earlier is only released now.
    if ((await call(() => stack.machines.getMachineStatus(machine)))?.phase !== 'Ready' || plan.target === 'Ready') {
      await call(() => stack.machines.provisionMachine(claimOf(plan.name)));
      await reach('Ready');
    }
    if (plan.target === 'Released') {
      await call(() => stack.machines.releaseMachine(machine));
      await reach('Released');
    }
  } catch (err) {
    outcome.error = err instanceof Error ? err.message : String(err);
  }
  return outcome;
}

function claimOf(name: string): NodeClaim {
  return {
    apiVersion: API_GROUP_VERSION,
    kind: 'NodeClaim',
    metadata: { name, namespace: CHAOS_NAMESPACE },
    spec: {
      providerRef: CHAOS_PROVIDER,
      typeRef: 'compute-node',
      // Room for every host in flight, and a deadline short enough that a hang becomes Stuck in the run.
      properties: {
        'metal3.vcluster.com/network-ip-range': '10.0.0.20-10.0.0.250',
        'metal3-provider.io/provision-timeout': '90s',
      },
    },
  };
}
