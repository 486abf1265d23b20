import type { BareMetalHost } from '../api/bareMetalHost.js';
import { hostLoss } from '../activities/hosts/hostLoss.js';
import type { MachineRef } from '../contracts/machineRef.js';
import type { InvariantResult } from './fleetInvariants.js';

/** A Machine whose workflow says Ready, with its host and (when the workflow says it) the host's namespace. */
export interface ReadyMachine {
  machine: MachineRef;
  host: string;
  clusterNamespace?: string;
}

/**
 * `ready-machine-host`: each Ready Machine's host still serves it, judged by the same rule the
 * NodeClaim controller uses. `hosts` are the checked namespaces' hosts; a Machine whose hosts live
 * in a namespace that was not checked is left out rather than reported as lost.
 */
export function checkReadyMachineHosts(
  ready: readonly ReadyMachine[],
  hosts: ReadonlyMap<string, readonly BareMetalHost[]>,
): InvariantResult {
  const result: InvariantResult = { checks: 0, violations: [] };
  for (const { machine, host, clusterNamespace } of ready) {
    const namespace =
      clusterNamespace ?? [...hosts].find(([, list]) => list.some((h) => h.metadata.name === host))?.[0];
    const list = namespace === undefined ? undefined : hosts.get(namespace);
    if (list === undefined) continue;
    result.checks += 1;
    const lost = hostLoss(
      host,
      list.find((h) => h.metadata.name === host),
      machine,
    );
    if (lost === undefined) continue;
    result.violations.push({
      invariant: 'ready-machine-host',
      object: `NodeClaim/${machine.namespace}/${machine.name}`,
      message: `${lost}; the Machine is still Ready. Send \`retry\` (with --other-host to move it) or \`release\``,
    });
  }
  return result;
}
