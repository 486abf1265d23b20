import type { KubeConfig } from '../k8s/kubernetesClient.js';
import type { Client } from '@temporalio/client';
import { machineWorkflowStates } from '../activities/reclaim/machineWorkflows.js';
import { listMachineSecretsPage, type SecretEntry } from '../activities/reclaim/pagedLists.js';
import { createBareMetalHostApi } from '../k8s/bareMetalHosts.js';
import { createIpAllocationApi } from '../k8s/ipAllocations.js';
import { createManagementObjects, type ManagementObjects } from '../k8s/managementObjects.js';
import type { PageCursor } from '../contracts/reclaimContract.js';
import type { BareMetalHost } from '../api/bareMetalHost.js';
import { MachineClient } from '../client/machineClient.js';
import { allocationsByFamily, checkFleet, machinesOf, type FleetSnapshot, type Violation } from './fleetInvariants.js';
import { checkReadyMachineHosts, type ReadyMachine } from './readyMachineHosts.js';

export interface FleetCheckReport {
  namespaces: string[];
  hosts: number;
  allocations: number;
  /** The allocations by address family. */
  allocationFamilies: Record<'ipv4' | 'ipv6', number>;
  secrets: number;
  machines: number;
  checks: number;
  violations: Violation[];
}

async function machineSecrets(kubeConfig: KubeConfig, namespace: string): Promise<SecretEntry[]> {
  const secrets: SecretEntry[] = [];
  let cursor: PageCursor | undefined = {};
  while (cursor) {
    const page = await listMachineSecretsPage(kubeConfig, namespace, 500, cursor);
    secrets.push(...page.items);
    cursor = page.next;
  }
  return secrets;
}

/** Reads one namespace as the invariants see it: hosts, allocations and the names and labels of Machine Secrets. */
export async function readFleetSnapshot(kubeConfig: KubeConfig, namespace: string): Promise<FleetSnapshot> {
  const [hosts, allocations, secrets] = await Promise.all([
    createBareMetalHostApi(kubeConfig, namespace).list(),
    createIpAllocationApi(kubeConfig, namespace).list(),
    machineSecrets(kubeConfig, namespace),
  ]);
  return { namespace, hosts: hosts.items, allocations, secrets };
}

/**
 * Checks the fleet invariants in each namespace, read-only: one read of the cluster, then one
 * describe per Machine named by any object. A Machine whose workflow the server cannot describe
 * fails the check rather than counting as gone.
 */
export async function checkFleetInvariants(
  kubeConfig: KubeConfig,
  client: Client,
  namespaces: readonly string[],
): Promise<FleetCheckReport> {
  const report: FleetCheckReport = {
    namespaces: [...namespaces],
    hosts: 0,
    allocations: 0,
    allocationFamilies: { ipv4: 0, ipv6: 0 },
    secrets: 0,
    machines: 0,
    checks: 0,
    violations: [],
  };
  const hosts = new Map<string, BareMetalHost[]>();
  for (const namespace of namespaces) {
    const snapshot = await readFleetSnapshot(kubeConfig, namespace);
    hosts.set(namespace, snapshot.hosts);
    const machines = machinesOf(snapshot);
    const states = await machineWorkflowStates(client, machines);
    const result = checkFleet(snapshot, states);
    report.hosts += snapshot.hosts.length;
    report.allocations += snapshot.allocations.length;
    const families = allocationsByFamily(snapshot.allocations);
    report.allocationFamilies.ipv4 += families.ipv4;
    report.allocationFamilies.ipv6 += families.ipv6;
    report.secrets += snapshot.secrets.length;
    report.machines += states.size;
    report.checks += result.checks;
    report.violations.push(...result.violations);
  }
  const inScope = providersIn(createManagementObjects(kubeConfig), namespaces);
  const ready = checkReadyMachineHosts(await readyMachines(new MachineClient(client, kubeConfig), inScope), hosts);
  report.checks += ready.checks;
  report.violations.push(...ready.violations);
  return report;
}

/**
 * Whether a NodeProvider's hosts live in one of the checked namespaces (its clusterRef), asked once
 * per provider. A provider that cannot be read counts as in scope, so its Machines are still checked.
 */
function providersIn(
  objects: ManagementObjects,
  namespaces: readonly string[],
): (provider: string | undefined) => Promise<boolean> {
  const answers = new Map<string, Promise<boolean>>();
  return (provider) => {
    if (provider === undefined) return Promise.resolve(true);
    let answer = answers.get(provider);
    if (!answer) {
      answer = objects.nodeProvider(provider).then((found) => {
        const namespace = found?.spec.metal3.clusterRef.namespace;
        return namespace === undefined || namespaces.includes(namespace);
      });
      answers.set(provider, answer);
    }
    return answer;
  };
}

/**
 * Ready Machines, and those already known to have lost their host, by visibility query; the
 * status query says where each one's host lives. Machines of NodeProviders whose hosts live in
 * namespaces not checked are not asked: they cannot be judged here, and a query needs their worker.
 */
async function readyMachines(
  machines: MachineClient,
  inScope: (provider: string | undefined) => Promise<boolean>,
): Promise<ReadyMachine[]> {
  const ready: ReadyMachine[] = [];
  const listed = [
    ...(await machines.listMachines({ phase: 'Ready' })),
    ...(await machines.listMachines({ phase: 'HostLost' })),
  ];
  for (const summary of listed) {
    const [namespace = '', name = ''] = summary.machine.split('/');
    if (!summary.host || summary.status !== 'RUNNING' || !(await inScope(summary.provider))) continue;
    const status = await machines.getMachineStatus({ namespace, name });
    if ((status?.phase !== 'Ready' && status?.phase !== 'HostLost') || !status.host) continue;
    ready.push({
      machine: status.machine,
      host: status.host,
      ...(status.clusterNamespace !== undefined && { clusterNamespace: status.clusterNamespace }),
    });
  }
  return ready;
}
