import { describe, expect, it } from 'vitest';
import { claimedHost } from '../../../activities/hosts/originalRecord.js';
import { createSecretActivities } from '../../../activities/secrets/index.js';
import { machineKey } from '../../../ipam/naming.js';
import { MACHINE_LABEL, POOL_LABEL, createIpAllocationApi } from '../../../k8s/ipAllocations.js';
import { useMachineStack } from '../../support/machineStack.js';
import { runCli } from '../../support/workerProcess.js';
import { recordHistory } from '../../support/recordHistory.js';
import {
  allocations,
  currentDetails,
  hostApi,
  kill,
  machineSecrets,
  names,
  reclaim,
  snapshot,
  userView,
} from './reclaimKit.js';

const stack = useMachineStack({ hosts: 5 });
const network = { 'metal3.vcluster.com/network-cidr': '10.70.0.1/24' };

const cli = (...args: string[]) => runCli(stack.env, ...args);

/** Host names in order; each Machine of these tests is pinned to one of them. */
let hosts: string[] = [];
const host = (index: number): string => hosts[index] ?? '';
const pin = (index: number) => ({ 'metal3.vcluster.com/server-name': host(index) });

async function annotate(name: string, annotations: Record<string, string>): Promise<void> {
  const api = hostApi(stack);
  const current = await api.get(name);
  current.metadata.annotations = { ...current.metadata.annotations, ...annotations };
  await api.replace(current);
}

function byMachine(items: string[], machine: string): string[] {
  return items.filter((line) => line.startsWith(`${machine}: `)).map((line) => line.slice(machine.length + 2));
}

describe('fleetReclaim', () => {
  it('gives back the hosts, addresses and Secrets of terminated and absent Machines in one run, and only those', async () => {
    const api = hostApi(stack);
    await expect
      .poll(async () => (await api.list()).items.filter((h) => h.status?.provisioning?.state === 'available').length, {
        timeout: 30_000,
      })
      .toBe(5);
    hosts = (await api.list()).items.map((h) => h.metadata.name).sort();
    await annotate(host(1), { 'sim.metal3-provider/delay-provisioning-ms': '600000' });
    await annotate(host(4), { 'sim.metal3-provider/fail-provisioning': '3' });
    const before = new Map((await api.list()).items.map((h) => [h.metadata.name, userView(h)]));

    const m1 = await stack.client.provisionMachine(stack.claim('m1', { ...network, ...pin(0) }));
    const m2 = await stack.client.provisionMachine(stack.claim('m2', { ...network, ...pin(1) }));
    await stack.client.provisionMachine(stack.claim('m3', { ...network, ...pin(2) }));
    await stack.client.provisionMachine(stack.claim('m5', pin(4)));
    const [ready1, provisioning2] = await Promise.all([
      stack.waitForPhase('m1', 'Ready'),
      stack.waitForPhase('m2', 'Provisioning'),
      stack.waitForPhase('m3', 'Ready'),
      stack.waitForPhase('m5', 'Stuck'),
    ]);
    await expect
      .poll(async () => (await api.get(host(1))).status?.provisioning?.state, { timeout: 20_000 })
      .toBe('provisioning');
    await expect
      .poll(async () => (await stack.client.listMachines({ phase: 'Stuck' })).map((m) => m.machine), {
        timeout: 20_000,
      })
      .toContain(`${stack.env.namespace}/m5`);
    // The reclaim below lists Machines Stuck for over a second: m5 must have been Stuck that long by then.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const secretsBefore = await machineSecrets(stack);
    await kill(m1);
    await kill(m2);

    // A Machine that never had a workflow: its host, address and Secret were left by hand or by a lost start.
    const ghost = { namespace: stack.env.namespace, name: 'ghost' };
    await api.replace(claimedHost(await api.get(host(3)), ghost));
    await createSecretActivities({
      kubeConfig: stack.env.kubeConfig,
      namespace: stack.env.namespace,
    }).writeMachineSecrets({ machine: ghost, userData: '#cloud-config\n' });
    await createIpAllocationApi(stack.env.kubeConfig, stack.env.namespace).create({
      name: 'pool-ghost-10-60-0-9',
      labels: { [POOL_LABEL]: 'pool-ghost', [MACHINE_LABEL]: machineKey(ghost) },
      spec: {
        pool: 'pool-ghost',
        poolSource: { networkCidr: '10.60.0.1/24' },
        address: '10.60.0.9',
        prefix: 24,
        gateway: '10.60.0.1',
        machine: ghost,
        host: host(3),
      },
    });

    const { report, workflowId } = await reclaim(stack, { stuckAfterMs: 1000 });

    expect(report.dryRun).toBe(false);
    expect(names(report, 'hosts')).toEqual([
      `ghost ${host(3)} restored`,
      `m1 ${host(0)} restored`,
      `m2 ${host(1)} restored`,
    ]);
    expect(report.hosts).toMatchObject({ found: 3, repaired: 3, failed: 0 });
    const address = (a: string | undefined) => (a ?? '').split('/')[0] ?? '';
    expect(names(report, 'addresses')).toEqual(
      [
        `ghost 10.60.0.9 freed`,
        `m1 ${address(ready1.address)} freed`,
        `m2 ${address(provisioning2.address)} freed`,
      ].sort(),
    );
    const reclaimedSecrets = report.secrets.items.map((i) => `${i.machine.split('/')[1] ?? ''}: ${i.name}`).sort();
    expect(byMachine(reclaimedSecrets, 'm1')).toEqual(byMachine(secretsBefore, 'm1'));
    expect(byMachine(reclaimedSecrets, 'm2')).toEqual(byMachine(secretsBefore, 'm2'));
    // user data, network data, meta data and the claim snapshot
    expect(byMachine(reclaimedSecrets, 'm1')).toHaveLength(4);
    expect(byMachine(reclaimedSecrets, 'ghost')).toHaveLength(1);
    expect(report.secrets).toMatchObject({ found: 9, repaired: 9, failed: 0 });
    const stuck = report.stuck.find((m) => m.machine === `${stack.env.namespace}/m5`);
    expect(stuck?.stuckSince).toBeDefined();

    // Restored exactly as they were before the claim.
    for (const index of [0, 1, 3]) expect(userView(await api.get(host(index)))).toEqual(before.get(host(index)));
    // Running Machines keep everything, the Stuck one included.
    expect((await api.get(host(2))).spec.consumerRef?.name).toBe('m3');
    expect((await api.get(host(4))).spec.consumerRef?.name).toBe('m5');
    expect((await stack.client.getMachineStatus({ namespace: stack.env.namespace, name: 'm3' }))?.phase).toBe('Ready');
    expect((await stack.client.getMachineStatus({ namespace: stack.env.namespace, name: 'm5' }))?.phase).toBe('Stuck');
    expect((await allocations(stack)).map((a) => a.spec.machine.name)).toEqual(['m3']);
    const secretsAfter = await machineSecrets(stack);
    expect(secretsAfter).toEqual([
      ...secretsBefore.filter((s) => s.startsWith('m3: ')),
      ...secretsBefore.filter((s) => s.startsWith('m5: ')),
    ]);

    await recordHistory(stack.env.temporal.client.workflow.getHandle(workflowId), 'fleet-reclaim');
    const details = await currentDetails(stack.env.temporal.client, workflowId);
    expect(details).toContain('**Fleet reclaim done**');
    expect(details).toContain(`${stack.env.namespace}/${host(0)}`);
    expect(details).toContain(`${stack.env.namespace}/m5`);

    // Right after, the same reclaim from the CLI finds nothing.
    const second = await cli('reclaim', 'run', '--provider', stack.provider, '--task-queue', stack.env.taskQueue);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Nothing to reclaim');
    const json = await cli(
      'reclaim',
      'run',
      '--json',
      '--provider',
      stack.provider,
      '--task-queue',
      stack.env.taskQueue,
    );
    const again = JSON.parse(json.stdout) as typeof report;
    expect([again.hosts.found, again.addresses.found, again.secrets.found]).toEqual([0, 0, 0]);
  });

  it('a dry run reports what it would do and changes nothing', async () => {
    const m4 = await stack.client.provisionMachine(stack.claim('m4', { ...network, ...pin(0) }));
    await stack.waitForPhase('m4', 'Ready');
    await kill(m4);
    const before = await snapshot(stack);

    const { report } = await reclaim(stack, { dryRun: true, stuckAfterMs: 1000 });

    expect(report.dryRun).toBe(true);
    expect(names(report, 'hosts')).toEqual([`m4 ${host(0)} would release and restore`]);
    expect(report.addresses.items.map((i) => `${i.machine} ${i.outcome}`)).toEqual([
      `${stack.env.namespace}/m4 would free`,
    ]);
    expect(report.secrets.items.map((i) => i.outcome)).toEqual(Array(4).fill('would delete'));
    expect(report.hosts.repaired + report.addresses.repaired + report.secrets.repaired).toBe(0);
    expect(report.stuck.map((m) => m.machine)).toContain(`${stack.env.namespace}/m5`);
    expect(await snapshot(stack)).toEqual(before);

    // `ipam list` asks Temporal as reclaim does: m4's address belongs to a Machine that is gone.
    const listed = await cli('ipam', 'list', '-n', stack.env.namespace);
    expect(listed.code).toBe(0);
    const line = (machine: string) =>
      listed.stdout.split('\n').find((l) => l.includes(`${stack.env.namespace}/${machine} `));
    expect(line('m4')).toMatch(/MACHINE GONE$/);
    expect(line('m3')).not.toMatch(/GONE|unknown/);
  });

  it('pages through the fleet with continue-as-new, carrying the report to the end', async () => {
    // m4's host, address and Secrets are still there from the dry run; m6 adds another set.
    const m6 = await stack.client.provisionMachine(stack.claim('m6', { ...network, ...pin(3) }));
    await stack.waitForPhase('m6', 'Ready');
    await kill(m6);

    const { report, workflowId } = await reclaim(stack, { pageSize: 1, pagesPerRun: 1, stuckAfterMs: 1000 });

    expect(names(report, 'hosts')).toEqual([`m4 ${host(0)} restored`, `m6 ${host(3)} restored`]);
    expect(report.addresses).toMatchObject({ found: 2, repaired: 2 });
    expect(report.secrets).toMatchObject({ found: 8, repaired: 8 });
    expect(report.stuck.map((m) => m.machine)).toContain(`${stack.env.namespace}/m5`);
    // One page per run: every page after the first was handled by a run continued from the one before.
    expect(report.runs).toBe(report.pages);
    expect(report.runs).toBeGreaterThan(10);
    await expect
      .poll(
        async () => {
          const statuses: string[] = [];
          for await (const run of stack.env.temporal.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
            statuses.push(run.status.name);
          }
          return statuses.filter((s) => s === 'CONTINUED_AS_NEW').length;
        },
        { timeout: 20_000 },
      )
      .toBe(report.runs - 1);
    expect(await currentDetails(stack.env.temporal.client, workflowId)).toContain(
      `in ${report.pages} page(s), ${report.runs} run(s)`,
    );
    expect(await allocations(stack)).toHaveLength(1);

    for (const name of ['m3', 'm5']) {
      await stack.client.releaseMachine({ namespace: stack.env.namespace, name });
      await expect(stack.client.handle({ namespace: stack.env.namespace, name }).result()).resolves.toMatchObject({
        phase: 'Released',
      });
    }
  });
});
