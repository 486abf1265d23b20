import {
  continueAsNew,
  isCancellation,
  metricMeter,
  proxyActivities,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import type { MachineRef } from '../contracts/machineRef.js';
import { releaseWait, shortStepActivities } from './machineActivities.js';
import { errorMessage } from './machineState.js';
import {
  RECLAIM_DEFAULTS,
  RECLAIM_SCOPE_INVALID,
  REPORT_NAME_LIMIT,
  emptyReport,
  firstPosition,
  nextPosition,
  reportMarkdown,
  skipPosition,
  type KindTally,
  type ReclaimInput,
  type ReclaimItem,
  type ReclaimPosition,
  type ReclaimReport,
  type ReclaimScope,
} from '../contracts/reclaimContract.js';
import type { ReclaimActivities, ScanInput, ScanResult } from '../contracts/reclaimContract.js';

/** Listing one page and asking Temporal about its Machines: short, retried on transient errors. */
const finders = proxyActivities<ReclaimActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [RECLAIM_SCOPE_INVALID],
  },
});

/** Repairs run a few at a time, so a large page never takes every activity slot of the worker. */
const REPAIR_CONCURRENCY = 8;

interface Settings {
  dryRun: boolean;
  pageSize: number;
}

/**
 * Finds hosts, IP addresses and Secrets whose Machine is gone (its workflow closed or absent) and
 * gives them back through the lifecycle's own release steps; lists Machines Stuck too long without
 * touching them. Pages through the fleet and continues as new with the report so far; the result
 * and the current details (Web UI) are the report. A Machine whose workflow runs is never touched.
 */
export async function fleetReclaim(input: ReclaimInput = {}): Promise<ReclaimReport> {
  const settings: Settings = {
    dryRun: input.dryRun ?? false,
    pageSize: input.pageSize ?? RECLAIM_DEFAULTS.pageSize,
  };
  const pagesPerRun = input.pagesPerRun ?? RECLAIM_DEFAULTS.pagesPerRun;
  const stuckAfterMs = input.stuckAfterMs ?? RECLAIM_DEFAULTS.stuckAfterMs;

  let progress = input.progress;
  if (progress) {
    progress.report.runs += 1;
  } else {
    const report = emptyReport({ dryRun: settings.dryRun, startedAt: new Date().toISOString(), stuckAfterMs });
    setCurrentDetails(reportMarkdown(report, 'running'));
    const scope = await finders.reclaimScope(input.providers ? { providers: input.providers } : {});
    report.namespaces = scope.namespaces;
    progress = { scope, report, position: firstPosition(scope) };
  }
  const { scope, report } = progress;
  let position: ReclaimPosition | undefined = progress.position;
  let pagesThisRun = 0;
  setCurrentDetails(reportMarkdown(report, 'running'));
  while (position) {
    if (pagesThisRun >= pagesPerRun || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof fleetReclaim>({ ...input, progress: { scope, report, position } });
    }
    const current: ReclaimPosition = position;
    try {
      position = await handlePage(scope, current, report, settings, stuckAfterMs);
    } catch (err) {
      if (isCancellation(err)) throw err;
      // A listing that fails after its retries: say so and go on; whatever it would have found waits for the next run.
      const where =
        current.kind === 'stuck' ? 'Stuck Machines' : `${current.kind} in ${scope.namespaces[current.namespace] ?? ''}`;
      report.errors.push(`looking at ${where} failed: ${errorMessage(err)}`);
      position = skipPosition(scope, current);
    }
    pagesThisRun += 1;
    report.pages += 1;
    setCurrentDetails(reportMarkdown(report, 'running'));
  }
  report.finishedAt = new Date().toISOString();
  setCurrentDetails(reportMarkdown(report, 'done'));
  return report;
}

/** Looks at one page, repairs what it found, and says where to go next. */
async function handlePage(
  scope: ReclaimScope,
  position: ReclaimPosition,
  report: ReclaimReport,
  settings: Settings,
  stuckAfterMs: number,
): Promise<ReclaimPosition | undefined> {
  if (position.kind === 'stuck') {
    const page = await finders.reclaimFindStuck({
      providers: scope.providers,
      stuckAfterMs,
      limit: settings.pageSize,
      ...(position.page.token && { token: position.page.token }),
    });
    report.scanned += page.scanned;
    report.stuck.push(...page.found.slice(0, Math.max(0, REPORT_NAME_LIMIT - report.stuck.length)));
    return nextPosition(scope, position, page.next ? { token: page.next } : undefined);
  }
  const namespace = scope.namespaces[position.namespace] ?? '';
  const scan: ScanInput = { namespace, limit: settings.pageSize, page: position.page };
  let page: ScanResult<unknown>;
  switch (position.kind) {
    case 'hosts': {
      const found = await finders.reclaimFindHosts(scan);
      page = found;
      await inBatches(found.found, (orphan) => reclaimHost(namespace, orphan, report.hosts, settings));
      break;
    }
    case 'addresses': {
      const found = await finders.reclaimFindAddresses(scan);
      page = found;
      await inBatches(groupByMachine(found.found), (group) =>
        reclaimAddresses(namespace, group, report.addresses, settings),
      );
      break;
    }
    case 'secrets': {
      const found = await finders.reclaimFindSecrets(scan);
      page = found;
      await inBatches(groupByMachine(found.found), (group) =>
        reclaimSecrets(namespace, group, report.secrets, settings),
      );
      break;
    }
  }
  // Exported with the SDK's metrics (alert: reclaim finding leaks); dry runs count what they would repair.
  metricMeter
    .createCounter('metal3_reclaim_found', 'items', 'Leaked hosts, addresses and Secrets a reclaim found')
    .add(page.found.length, { kind: position.kind });
  report.scanned += page.scanned;
  report.skipped.push(...page.skipped.slice(0, Math.max(0, REPORT_NAME_LIMIT - report.skipped.length)));
  return nextPosition(scope, position, page.next);
}

/** releaseHost, then awaitAvailable restores the recorded original: the lifecycle's own release. */
async function reclaimHost(
  clusterNamespace: string,
  orphan: { host: string; machine: MachineRef },
  tally: KindTally,
  settings: Settings,
): Promise<void> {
  const { host, machine } = orphan;
  const item = { namespace: clusterNamespace, name: host, machine: `${machine.namespace}/${machine.name}` };
  if (settings.dryRun) {
    record(tally, { ...item, outcome: 'would release and restore' });
    return;
  }
  try {
    const released = await shortStepActivities.releaseHost({ clusterNamespace, machine, host });
    if (released.outcome !== 'released') {
      // Restored or deleted meanwhile by someone else: nothing left to give back.
      record(tally, { ...item, outcome: released.outcome });
      return;
    }
    const since = released.resourceVersion;
    const restored = await releaseWait.awaitAvailable({ clusterNamespace, machine, host, since });
    record(tally, { ...item, outcome: restored.outcome }, restored.outcome === 'restored' ? 'repaired' : undefined);
  } catch (err) {
    record(tally, { ...item, outcome: 'failed', detail: errorMessage(err) }, 'failed');
  }
}

/** releaseAddress frees every address of the Machine (and takes the lease off its host). */
async function reclaimAddresses(
  clusterNamespace: string,
  group: { machine: MachineRef; items: { allocation: string; address: string }[] },
  tally: KindTally,
  settings: Settings,
): Promise<void> {
  const machine = `${group.machine.namespace}/${group.machine.name}`;
  if (settings.dryRun) {
    for (const { address, allocation } of group.items) {
      record(tally, { namespace: clusterNamespace, name: address, machine, outcome: 'would free', detail: allocation });
    }
    return;
  }
  try {
    const { released } = await shortStepActivities.releaseAddress({ clusterNamespace, machine: group.machine });
    // Addresses on later pages may go with this call; those pages then find them gone and say nothing.
    for (const address of released) {
      record(tally, { namespace: clusterNamespace, name: address, machine, outcome: 'freed' }, 'repaired');
    }
  } catch (err) {
    for (const { address, allocation } of group.items) {
      record(
        tally,
        {
          namespace: clusterNamespace,
          name: address,
          machine,
          outcome: 'failed',
          detail: `${allocation}: ${errorMessage(err)}`,
        },
        'failed',
      );
    }
  }
}

/** deleteMachineData deletes every Secret labelled with the Machine, as the lifecycle's last step does. */
async function reclaimSecrets(
  clusterNamespace: string,
  group: { machine: MachineRef; items: { secret: string }[] },
  tally: KindTally,
  settings: Settings,
): Promise<void> {
  const machine = `${group.machine.namespace}/${group.machine.name}`;
  if (settings.dryRun) {
    for (const { secret } of group.items) {
      record(tally, { namespace: clusterNamespace, name: secret, machine, outcome: 'would delete' });
    }
    return;
  }
  try {
    const { deleted } = await shortStepActivities.deleteMachineData({ clusterNamespace, machine: group.machine });
    for (const secret of deleted) {
      record(tally, { namespace: clusterNamespace, name: secret, machine, outcome: 'deleted' }, 'repaired');
    }
  } catch (err) {
    for (const { secret } of group.items) {
      record(
        tally,
        { namespace: clusterNamespace, name: secret, machine, outcome: 'failed', detail: errorMessage(err) },
        'failed',
      );
    }
  }
}

function record(tally: KindTally, item: ReclaimItem, result?: 'repaired' | 'failed'): void {
  tally.found += 1;
  if (result === 'repaired') tally.repaired += 1;
  if (result === 'failed') tally.failed += 1;
  if (tally.items.length < REPORT_NAME_LIMIT) tally.items.push(item);
}

function groupByMachine<T extends { machine: MachineRef }>(
  found: T[],
): { machine: MachineRef; items: Omit<T, 'machine'>[] }[] {
  const groups = new Map<string, { machine: MachineRef; items: Omit<T, 'machine'>[] }>();
  for (const { machine, ...rest } of found) {
    const key = `${machine.namespace}/${machine.name}`;
    const group = groups.get(key) ?? { machine, items: [] };
    group.items.push(rest);
    groups.set(key, group);
  }
  return [...groups.values()];
}

async function inBatches<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += REPAIR_CONCURRENCY) {
    await Promise.all(items.slice(i, i + REPAIR_CONCURRENCY).map(run));
  }
}
