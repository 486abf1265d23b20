import { isDeepStrictEqual } from 'node:util';
import { runReclaimOnce } from '../../cli/reclaimCommand.js';
import { createBareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { createIpAllocationApi } from '../../k8s/ipAllocations.js';
import { checkFleetInvariants } from '../../invariants/readFleet.js';
import { hostConsumer } from '../../activities/reclaim/owners.js';
import { CHAOS_NAMESPACE, hostView, type ChaosStack } from './chaosStack.js';
import { lastOutcomes, type MachineOutcome } from './driveMachines.js';
import { annotateHost } from '../support/annotateHost.js';
import { FAULT_ANNOTATIONS } from './hostAnnotations.js';

export interface FinalCheckReport {
  checks: number;
  violations: string[];
}

/**
 * What must hold once the faults stop and every Machine got what was asked: each Machine in its
 * target phase with exactly one workflow, the fleet invariants, one consumed host and one address
 * per Ready Machine, every free host equal to its original, nothing orphaned, and a fleet reclaim
 * that finds nothing to do.
 */
export async function runFinalChecks(stack: ChaosStack, outcomes: MachineOutcome[]): Promise<FinalCheckReport> {
  const report: FinalCheckReport = { checks: 0, violations: [] };
  const check = (holds: boolean, violation: () => string): void => {
    report.checks++;
    if (!holds) report.violations.push(violation());
  };

  // Machines: each ended as asked, none lost, none started twice (a Ready Machine's run that continued
  // as new is the same workflow, not a second start).
  const executions = new Map<string, number>();
  const query = `WorkflowType = 'machineLifecycle' AND ExecutionStatus != 'ContinuedAsNew'`;
  for await (const execution of stack.client.workflow.list({ query })) {
    executions.set(execution.workflowId, (executions.get(execution.workflowId) ?? 0) + 1);
  }
  const finalTarget = new Map([...lastOutcomes(outcomes)].map((o) => [o.name, o]));
  for (const outcome of finalTarget.values()) {
    const status = await stack.machines
      .getMachineStatus({ namespace: CHAOS_NAMESPACE, name: outcome.name })
      .catch((err: unknown) => {
        report.violations.push(`Machine ${outcome.name}: status query failed: ${String(err)}`);
        return undefined;
      });
    check(
      status?.phase === outcome.target,
      () =>
        `Machine ${outcome.name}: ${status?.phase ?? 'lost'}, asked ${outcome.target}${outcome.error ? ` (${outcome.error})` : ''}`,
    );
    const runs = executions.get(`machine/${CHAOS_NAMESPACE}/${outcome.name}`) ?? 0;
    check(runs === 1, () => `Machine ${outcome.name}: ${runs} workflow executions, expected exactly 1`);
  }
  check(
    executions.size === finalTarget.size,
    () => `${executions.size} Machine workflows for ${finalTarget.size} Machines`,
  );

  // The operator's faults come off every host before hosts are compared with their originals.
  for (const name of stack.hostNames) {
    await annotateHost(
      stack.kubeConfig,
      CHAOS_NAMESPACE,
      name,
      Object.fromEntries(FAULT_ANNOTATIONS.map((k) => [k, null])),
    );
  }

  const fleet = await checkFleetInvariants(stack.kubeConfig, stack.client, [CHAOS_NAMESPACE]);
  report.checks += fleet.checks;
  report.violations.push(...fleet.violations.map((v) => `${v.invariant}: ${v.object}: ${v.message}`));

  const ready = new Set([...finalTarget.values()].filter((o) => o.target === 'Ready').map((o) => o.name));
  const hosts = (await createBareMetalHostApi(stack.kubeConfig, CHAOS_NAMESPACE).list()).items;
  const consumers = hosts.map((host) => hostConsumer(host.spec.consumerRef)?.name).filter((n) => n !== undefined);
  check(
    consumers.length === ready.size && consumers.every((name) => ready.has(name)),
    () =>
      `hosts consumed by [${consumers.sort().join(', ')}], expected exactly the Ready Machines [${[...ready].sort().join(', ')}]`,
  );
  for (const host of hosts) {
    if (host.spec.consumerRef) continue;
    const original = stack.originals.get(host.metadata.name);
    check(
      original !== undefined && isDeepStrictEqual(hostView(host), original),
      () =>
        `host ${host.metadata.name} differs from its original after release: ${JSON.stringify(hostView(host))} vs ${JSON.stringify(original)}`,
    );
  }

  const allocations = await createIpAllocationApi(stack.kubeConfig, CHAOS_NAMESPACE).list();
  const allocated = allocations.map((a) => a.spec.machine.name);
  check(
    allocated.length === ready.size && allocated.every((name) => ready.has(name)),
    () => `addresses allocated to [${allocated.sort().join(', ')}], expected one per Ready Machine`,
  );

  const reclaim = await runReclaimOnce(stack.client, { dryRun: true });
  const found = reclaim.hosts.found + reclaim.addresses.found + reclaim.secrets.found + reclaim.stuck.length;
  check(
    found === 0 && reclaim.errors.length === 0,
    () => `fleet reclaim found ${found} things to repair: ${JSON.stringify(reclaim)}`,
  );
  return report;
}
