import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Command } from 'commander';
import { connectClient } from '../worker/temporalConnection.js';
import type { fleetReclaim } from '../workflows/fleetReclaim.js';
import { PROVISIONING_TASK_QUEUE } from '../contracts/machineContract.js';
import {
  FLEET_RECLAIM_WORKFLOW_TYPE,
  RECLAIM_DEFAULTS,
  RECLAIM_SCHEDULE_ID,
  reportMarkdown,
  type ReclaimInput,
  type ReclaimReport,
} from '../contracts/reclaimContract.js';

const UNITS_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `10m`, `1h`, `2d`: what operators type; anything else is refused with an example. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  const amount = match ? Number(match[1]) : 0;
  if (!match || amount <= 0) throw new Error(`${option} ${text} is not a duration; write e.g. 90s, 10m, 1h or 2d`);
  return amount * UNITS_MS[match[2] as keyof typeof UNITS_MS];
}

function parseCount(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${option} ${text} is not a whole number of 1 or more`);
  return value;
}

export interface ReclaimScheduleOptions {
  everyMs: number;
  input: ReclaimInput;
  scheduleId?: string;
  taskQueue?: string;
}

/**
 * Creates the reclaim schedule or, when it exists, replaces its interval, input and task queue:
 * running the command again never makes a second schedule. A run still going when the next is due
 * is skipped (overlap SKIP), so two reclaims never work on the same fleet at once.
 */
export async function upsertReclaimSchedule(
  client: Client,
  options: ReclaimScheduleOptions,
): Promise<'created' | 'updated'> {
  const scheduleId = options.scheduleId ?? RECLAIM_SCHEDULE_ID;
  const spec = { intervals: [{ every: options.everyMs }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: FLEET_RECLAIM_WORKFLOW_TYPE,
    workflowId: scheduleId,
    taskQueue: options.taskQueue ?? PROVISIONING_TASK_QUEUE,
    args: [options.input],
    staticSummary: 'Fleet reclaim',
    staticDetails: 'Releases hosts, IP addresses and Secrets whose Machine is gone; lists long-Stuck Machines.',
  };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({
    spec,
    action,
    policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP },
    state: { paused: previous.state.paused, ...(previous.state.note && { note: previous.state.note }) },
  }));
  return 'updated';
}

/** Runs the reclaim once now, apart from the schedule, and waits for its report. */
export async function runReclaimOnce(
  client: Client,
  input: ReclaimInput,
  options: { taskQueue?: string; workflowId?: string } = {},
): Promise<ReclaimReport> {
  const handle = await client.workflow.start<typeof fleetReclaim>(FLEET_RECLAIM_WORKFLOW_TYPE, {
    workflowId: options.workflowId ?? `${RECLAIM_SCHEDULE_ID}-run-${new Date().toISOString()}`,
    taskQueue: options.taskQueue ?? PROVISIONING_TASK_QUEUE,
    args: [input],
    staticSummary: input.dryRun ? 'Fleet reclaim (dry run)' : 'Fleet reclaim',
  });
  return handle.result();
}

interface ScopeOptions {
  provider?: string[];
  stuckAfter: string;
  pageSize: string;
  taskQueue: string;
}

function reclaimInput(options: ScopeOptions & { dryRun?: boolean }): ReclaimInput {
  return {
    ...(options.dryRun && { dryRun: true }),
    ...(options.provider && options.provider.length > 0 && { providers: options.provider }),
    stuckAfterMs: parseDuration(options.stuckAfter, '--stuck-after'),
    pageSize: parseCount(options.pageSize, '--page-size'),
  };
}

/** `reclaim schedule --every 10m` and `reclaim run [--dry-run]`. */
export function registerReclaimCommand(program: Command): void {
  const reclaim = program
    .command('reclaim')
    .description('give back hosts, IP addresses and Secrets whose Machine is gone; list long-Stuck Machines');
  const scope = (command: Command) =>
    command
      .option('--provider <name...>', 'only the cluster namespaces of these NodeProviders (default: all)')
      .option('--stuck-after <duration>', 'list Machines Stuck for longer than this', '1h')
      .option('--page-size <n>', 'objects per page', String(RECLAIM_DEFAULTS.pageSize))
      .option('--task-queue <name>', 'task queue of the provisioning worker', PROVISIONING_TASK_QUEUE);

  scope(reclaim.command('schedule'))
    .description('create or update the Temporal Schedule that runs the reclaim (a run still going is not overlapped)')
    .requiredOption('--every <duration>', 'interval, e.g. 10m')
    .option('--schedule-id <id>', 'schedule id', RECLAIM_SCHEDULE_ID)
    .action(async (options: ScopeOptions & { every: string; scheduleId: string }) => {
      const everyMs = parseDuration(options.every, '--every');
      const input = reclaimInput(options);
      const client = await connectClient();
      try {
        const what = await upsertReclaimSchedule(client, {
          everyMs,
          input,
          scheduleId: options.scheduleId,
          taskQueue: options.taskQueue,
        });
        process.stdout.write(`${what} schedule ${options.scheduleId}: fleet reclaim every ${options.every}\n`);
      } finally {
        await client.connection.close();
      }
    });

  scope(reclaim.command('run'))
    .description('run the reclaim once now and print its report')
    .option('--dry-run', 'only report what would be released and deleted')
    .option('--json', 'print the report as JSON')
    .action(async (options: ScopeOptions & { dryRun?: boolean; json?: boolean }) => {
      const input = reclaimInput(options);
      const client = await connectClient();
      try {
        const report = await runReclaimOnce(client, input, { taskQueue: options.taskQueue });
        process.stdout.write(
          options.json ? `${JSON.stringify(report, null, 2)}\n` : `${reportMarkdown(report, 'done')}\n`,
        );
        const failed = report.hosts.failed + report.addresses.failed + report.secrets.failed;
        if (failed > 0 || report.errors.length > 0) process.exitCode = 1;
      } finally {
        await client.connection.close();
      }
    });
}
