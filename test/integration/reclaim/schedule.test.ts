import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../devstack/devstack.js';
import { runCommand } from '../../../devstack/runCommand.js';
import { useTestEnv } from '../../support/testEnv.js';

const env = useTestEnv();
const scheduleId = () => `fleet-reclaim-${env.namespace}`;

function cli(...args: string[]) {
  return runCommand(process.execPath, [join(projectRoot, 'bin', 'metal3-provider.js'), ...args], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env.temporal.address,
      TEMPORAL_NAMESPACE: env.temporal.namespace,
      KUBECONFIG: env.kubeconfigPath,
    },
  });
}

afterAll(async () => {
  await env.temporal.client.schedule
    .getHandle(scheduleId())
    .delete()
    .catch(() => undefined);
});

describe('metal3-provider reclaim schedule', () => {
  it('creates a schedule that skips overlapping runs, and running it again updates that schedule', async () => {
    const created = await cli(
      'reclaim',
      'schedule',
      '--every',
      '10m',
      '--schedule-id',
      scheduleId(),
      '--task-queue',
      env.taskQueue,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`created schedule ${scheduleId()}: fleet reclaim every 10m`);

    const handle = env.temporal.client.schedule.getHandle(scheduleId());
    const first = await handle.describe();
    expect(first.spec.intervals?.map((i) => i.every)).toEqual([600_000]);
    expect(first.policies.overlap).toBe('SKIP');
    expect(first.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'fleetReclaim',
      workflowId: scheduleId(),
      taskQueue: env.taskQueue,
    });
    expect(first.action.args).toEqual([{ stuckAfterMs: 3_600_000, pageSize: 100 }]);

    const updated = await cli(
      'reclaim',
      'schedule',
      '--every',
      '15m',
      '--stuck-after',
      '2h',
      '--provider',
      'metal3-east',
      '--schedule-id',
      scheduleId(),
      '--task-queue',
      env.taskQueue,
    );
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain(`updated schedule ${scheduleId()}: fleet reclaim every 15m`);
    const second = await handle.describe();
    expect(second.spec.intervals?.map((i) => i.every)).toEqual([900_000]);
    expect(second.policies.overlap).toBe('SKIP');
    expect(second.action.args).toEqual([{ providers: ['metal3-east'], stuckAfterMs: 7_200_000, pageSize: 100 }]);
    // Still the one schedule, with no action taken yet.
    expect(second.info.createdAt).toEqual(first.info.createdAt);
    await expect
      .poll(
        async () => {
          const ids: string[] = [];
          for await (const schedule of env.temporal.client.schedule.list()) ids.push(schedule.scheduleId);
          return ids.filter((id) => id === scheduleId()).length;
        },
        { timeout: 20_000 },
      )
      .toBe(1);
  });

  it('refuses an interval it cannot read, saying what to write', async () => {
    const bad = await cli('reclaim', 'schedule', '--every', 'ten minutes', '--schedule-id', scheduleId());
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--every ten minutes is not a duration; write e.g. 90s, 10m, 1h or 2d');
  });
});
