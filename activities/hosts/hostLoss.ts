import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { describeMachine, isConsumedBy } from './consumerRef.js';
import type { MachineRef } from '../../contracts/machineRef.js';

/**
 * Why the host under a Ready Machine no longer serves it, in words, or undefined while it does.
 * Pure: the NodeClaim controller, the workflow's own check and `metal3-provider check` all judge a
 * host by this one function. A host still switching on after `provisioned` is not lost (BMO
 * reports `poweredOn` some seconds later), so power is judged by what was asked (`spec.online`)
 * and by BMO's power error, not by the reported power state alone.
 */
export function hostLoss(name: string, host: BareMetalHost | undefined, machine: MachineRef): string | undefined {
  if (!host) return `BareMetalHost ${name} was deleted`;
  if (host.metadata.deletionTimestamp) return `BareMetalHost ${name} is being deleted`;
  if (!isConsumedBy(host, machine)) {
    const ref = host.spec.consumerRef;
    return ref
      ? `BareMetalHost ${name} is now consumed by ${ref.kind ?? 'object'} ${ref.namespace ?? ''}/${ref.name}, not ${describeMachine(machine)}`
      : `BareMetalHost ${name} no longer has ${describeMachine(machine)} as its consumer`;
  }
  const status = host.status ?? {};
  const state = status.provisioning?.state ?? '';
  if (!host.spec.image?.url) return `the image was removed from BareMetalHost ${name} (state "${state}")`;
  if (state !== 'provisioned') return `BareMetalHost ${name} is in state "${state}", no longer provisioned`;
  if (host.spec.online !== true) return `BareMetalHost ${name} was switched off (spec.online is false)`;
  if (status.errorType) {
    return `BareMetalHost ${name} reports ${status.errorType}: ${status.errorMessage || 'no message'}`;
  }
  return undefined;
}
