import type { KubeConfig } from '../../k8s/kubernetesClient.js';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  RECLAIM_SCOPE_INVALID,
  type PageCursor,
  type ReclaimItem,
  type ReclaimScope,
} from '../../contracts/reclaimContract.js';
import { toApplicationFailure } from '../applicationFailure.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import { machineWorkflowStates, type MachineWorkflowState } from './machineWorkflows.js';
import { hostConsumer, machineKeyOf, secretOwner } from './owners.js';
import { listAllocationsPage, listHostsPage, listMachineSecretsPage, listProviderNamespaces } from './pagedLists.js';
import { findStuckMachines } from './stuckMachines.js';
import type {
  FindStuckInput,
  FindStuckResult,
  OrphanAddress,
  OrphanHost,
  OrphanSecret,
  ReclaimActivities,
  ScanInput,
  ScanResult,
} from '../../contracts/reclaimContract.js';

export interface ReclaimActivityOptions {
  kubeConfig: KubeConfig;
  /**
   * Asks Temporal whether Machine workflows run. Default: the worker's own client (same
   * connection, namespace and data converter) from the activity context.
   */
  client?: Client;
}

/**
 * The fleet reclaim's finders: each lists one page of one kind of object and keeps those whose
 * Machine is gone. The repairs themselves are the lifecycle's own activities (releaseHost,
 * awaitAvailable, releaseAddress, deleteMachineData), which the same worker registers.
 */
export function createReclaimActivities(options: ReclaimActivityOptions): ReclaimActivities {
  const { kubeConfig } = options;
  const client = (): Client => options.client ?? Context.current().client;
  const gone = async (machines: MachineRef[]): Promise<(machine: MachineRef) => boolean> => {
    const states: Map<string, MachineWorkflowState> = await askTemporal('describing Machine workflows', () =>
      machineWorkflowStates(client(), machines),
    );
    return (machine) => states.get(machineKeyOf(machine)) === 'gone';
  };
  const guarded =
    <I, O>(doing: string, fn: (input: I) => Promise<O>) =>
    async (input: I): Promise<O> => {
      try {
        return await fn(input);
      } catch (err) {
        throw toApplicationFailure(err, doing, 'reclaim');
      }
    };

  return {
    reclaimScope: guarded('finding the cluster namespaces to reclaim in', async (input: { providers?: string[] }) => {
      const all = await listProviderNamespaces(kubeConfig);
      const providers = input.providers ?? [...all.keys()].sort();
      const missing = providers.filter((p) => !all.has(p));
      if (missing.length > 0) {
        throw ApplicationFailure.create({
          type: RECLAIM_SCOPE_INVALID,
          message: `NodeProvider(s) ${missing.join(', ')} not found; name existing NodeProviders or none for all`,
          nonRetryable: true,
        });
      }
      const namespaces = [...new Set(providers.map((p) => all.get(p) ?? ''))].filter(Boolean).sort();
      return { namespaces, providers: input.providers ?? [] } satisfies ReclaimScope;
    }),

    reclaimFindHosts: guarded(
      'looking for BareMetalHosts whose Machine is gone',
      async (input: ScanInput): Promise<ScanResult<OrphanHost>> => {
        const page = await listHostsPage(kubeConfig, input.namespace, input.limit, input.page);
        const consumed = page.items.flatMap((host) => {
          const machine = hostConsumer(host.consumerRef);
          return machine ? [{ host: host.name, machine }] : [];
        });
        const isGone = await gone(consumed.map((c) => c.machine));
        return result(
          consumed.filter((c) => isGone(c.machine)),
          [],
          page.items.length,
          page.next,
        );
      },
    ),

    reclaimFindAddresses: guarded(
      'looking for IP address allocations whose Machine is gone',
      async (input: ScanInput): Promise<ScanResult<OrphanAddress>> => {
        const page = await listAllocationsPage(kubeConfig, input.namespace, input.limit, input.page);
        const held = page.items.map((a) => ({
          allocation: a.metadata.name,
          address: a.spec.address,
          machine: { namespace: a.spec.machine.namespace, name: a.spec.machine.name },
        }));
        const isGone = await gone(held.map((h) => h.machine));
        return result(
          held.filter((h) => isGone(h.machine)),
          [],
          page.items.length,
          page.next,
        );
      },
    ),

    reclaimFindSecrets: guarded(
      'looking for Machine Secrets whose Machine is gone',
      async (input: ScanInput): Promise<ScanResult<OrphanSecret>> => {
        const page = await listMachineSecretsPage(kubeConfig, input.namespace, input.limit, input.page);
        const owned: OrphanSecret[] = [];
        const skipped: ReclaimItem[] = [];
        for (const secret of page.items) {
          const owner = secretOwner(secret);
          if (owner?.kind === 'machine') owned.push({ secret: secret.name, machine: owner.machine });
          else if (owner?.kind === 'unknown') {
            skipped.push({
              namespace: input.namespace,
              name: secret.name,
              machine: 'unknown',
              outcome: 'left alone',
              detail: owner.reason,
            });
          }
        }
        const isGone = await gone(owned.map((o) => o.machine));
        return result(
          owned.filter((o) => isGone(o.machine)),
          skipped,
          page.items.length,
          page.next,
        );
      },
    ),

    reclaimFindStuck: guarded('listing Stuck Machines', (input: FindStuckInput): Promise<FindStuckResult> =>
      findStuckMachines(client(), input),
    ),
  };
}

/** Temporal could not answer; retried, since calling a Machine gone without an answer could release a live one. */
export const TEMPORAL_REQUEST_FAILED = 'TemporalRequestFailed';

async function askTemporal<T>(doing: string, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (err) {
    throw ApplicationFailure.create({
      type: TEMPORAL_REQUEST_FAILED,
      message: `${doing} failed: ${err instanceof Error ? err.message : String(err)}; check the worker's connection to Temporal`,
      nonRetryable: false,
    });
  }
}

function result<T>(found: T[], skipped: ReclaimItem[], scanned: number, next: PageCursor | undefined): ScanResult<T> {
  return { found, skipped, scanned, ...(next && { next }) };
}
