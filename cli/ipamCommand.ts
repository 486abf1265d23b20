import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { Command } from 'commander';
import { inventory, type AllocationRecord, type PoolInventory } from '../ipam/inventory.js';
import { IP_ADDRESS_ANNOTATION } from '../ipam/lease.js';
import { createBareMetalHostApi } from '../k8s/bareMetalHosts.js';
import { createIpAllocationApi, POOL_LABEL } from '../k8s/ipAllocations.js';
import { loadKubeConfig } from '../k8s/kubeClient.js';
import { machineWorkflowStates } from '../activities/reclaim/machineWorkflows.js';
import { machineKeyOf } from '../activities/reclaim/owners.js';

type MachineState = 'present' | 'gone' | 'unknown';

interface ListOptions {
  pool?: string;
  namespace?: string;
  kubeconfig?: string;
  machineCheck: boolean;
  json?: boolean;
}

/**
 * A Machine exists while its lifecycle workflow runs; a closed or absent workflow means the Machine is
 * gone and its address can be reclaimed. Reclaim asks Temporal the same way; without a definite answer
 * (no Temporal server reachable) every state is unknown.
 */
async function machineStates(machines: AllocationRecord['machine'][]): Promise<Map<string, MachineState>> {
  const unknown = (err: unknown): Map<string, MachineState> => {
    process.stderr.write(
      `cannot reach Temporal to check Machines (${err instanceof Error ? err.message : String(err)}); ` +
        'set TEMPORAL_ADDRESS or a profile, or pass --no-machine-check\n',
    );
    return new Map(machines.map((machine) => [machineKeyOf(machine), 'unknown']));
  };
  const config = loadClientConnectConfig();
  let connection: Connection;
  try {
    connection = await Connection.connect(config.connectionOptions);
  } catch (err) {
    return unknown(err);
  }
  try {
    const client = new Client({ connection, namespace: config.namespace ?? 'default' });
    const states = await machineWorkflowStates(client, machines);
    return new Map([...states].map(([key, state]) => [key, state === 'running' ? 'present' : 'gone']));
  } catch (err) {
    return unknown(err);
  } finally {
    await connection.close();
  }
}

function table(rows: string[][]): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

function render(pools: PoolInventory[], states: Map<string, MachineState> | undefined): string {
  if (pools.length === 0) return 'no allocations\n';
  const lines: string[] = [];
  for (const pool of pools) {
    const size =
      pool.size === undefined
        ? 'size unknown (its network properties no longer build a pool)'
        : `${pool.free} free of ${pool.size}`;
    const onHosts =
      pool.onHostsOnly.length > 0 ? `, ${pool.onHostsOnly.length} on hosts only (${pool.onHostsOnly.join(', ')})` : '';
    const family = pool.family === undefined ? '' : `IPv${pool.family} `;
    lines.push(`${pool.id}  ${family}${pool.description ?? ''}: ${pool.allocated} allocated${onHosts}, ${size}`);
    const rows = pool.allocations.map((a) => {
      const state = states?.get(machineKeyOf(a.machine));
      const flag = state === 'gone' ? 'MACHINE GONE' : state === 'unknown' ? 'machine state unknown' : '';
      return ['  ' + a.address, machineKeyOf(a.machine), a.host ?? '-', a.name, flag];
    });
    lines.push(...table([['  ADDRESS', 'MACHINE', 'HOST', 'ALLOCATION', ''], ...rows]), '');
  }
  return lines.join('\n');
}

function json(pools: PoolInventory[], states: Map<string, MachineState> | undefined): string {
  const out = pools.map((pool) => ({
    ...pool,
    size: pool.size?.toString(),
    free: pool.free?.toString(),
    allocations: pool.allocations.map((a) => ({ ...a, machineState: states?.get(machineKeyOf(a.machine)) })),
  }));
  return `${JSON.stringify(out, null, 2)}\n`;
}

/**
 * `metal3-provider ipam list [--pool ID]`: pools with their family, used/free counts, allocations and
 * their Machines. A dual-stack node type has two pools, one per family.
 */
export function registerIpamCommand(program: Command): void {
  const ipam = program.command('ipam').description('IP address management: pools and address allocations');
  ipam
    .command('list')
    .description(
      'show pools with used and free counts, and each allocation with its Machine; flag Machines that are gone',
    )
    .option('--pool <id>', 'only this pool (the id shown by this command, e.g. pool-3fa9c1d2e4)')
    .option('-n, --namespace <namespace>', "namespace of the BareMetalHosts (default: the kubeconfig context's)")
    .option('--kubeconfig <file>', 'kubeconfig of the Control Plane Cluster (default: KUBECONFIG or ~/.kube/config)')
    .option('--no-machine-check', 'do not ask Temporal whether each Machine still exists')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: ListOptions) => {
      const kubeConfig = loadKubeConfig(options.kubeconfig);
      const namespace =
        options.namespace ?? kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace ?? 'default';
      const [objects, hosts] = await Promise.all([
        createIpAllocationApi(kubeConfig, namespace).list(options.pool ? { [POOL_LABEL]: options.pool } : {}),
        createBareMetalHostApi(kubeConfig, namespace).list(),
      ]);
      const records: AllocationRecord[] = objects.map((o) => ({ name: o.metadata.name, ...o.spec }));
      const hostAddresses = hosts.items.flatMap((h) => {
        const value = h.metadata.annotations?.[IP_ADDRESS_ANNOTATION];
        return value ? [value.split('/')[0] ?? value] : [];
      });
      const pools = inventory(records, hostAddresses);
      const states = options.machineCheck ? await machineStates(records.map((r) => r.machine)) : undefined;
      process.stdout.write(options.json ? json(pools, states) : render(pools, states));
    });
}
