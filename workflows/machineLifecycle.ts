import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  condition,
  isCancellation,
  makeContinueAsNewFunc,
  patched,
  setWorkflowOptions,
} from '@temporalio/workflow';
import { HostFailureType } from '../contracts/hostFailureTypes.js';
import { IpamFailureType } from '../contracts/ipamFailureTypes.js';
import type { Lease } from '../ipam/lease.js';
import {
  RENDER_LIMIT_EXCEEDED,
  type MachineLifecycleInput,
  type MachineStatus,
  type ReadyMachine,
  type ResolvedMachine,
} from '../contracts/machineContract.js';
import { PROVISIONING_FAILURE_TYPES, provisioningWait, releaseWait, shortSteps } from './machineActivities.js';
import { MachineState, errorMessage } from './machineState.js';
import { EVERY_FAILURE, OTHER_HOST, retrying, type RetryPolicy } from './retryPolicy.js';
import { READY_CONTINUES_AS_NEW_PATCH, machineVersioningBehavior, readyRunOptions } from './machineVersioning.js';
import type { MachineSecretNames } from '../contracts/machineContract.js';
import { restoredHostOf, type RestoredHost } from '../contracts/machineActivityContract.js';

/** What the Machine holds right now; release gives back exactly this, in lifecycle order. */
interface Held {
  host?: string;
  lease?: Lease;
  secrets?: MachineSecretNames;
}

/**
 * One Machine, from request to release:
 * resolve → claim host → allocate address → render and write Secrets → configure host → await
 * provisioned → Ready → (release) → release host → await available and restore → free address →
 * delete Secrets → Released. A Ready Machine whose host is lost waits for an operator (HostLost):
 * `retry` provisions the same host again, `retry --other-host` another one.
 * A failure, the operator's `release`, or cancelling the workflow all end in the same release, run
 * in a non-cancellable scope so that nothing is left claimed, allocated or written.
 * On reaching Ready the Machine continues as new, Ready (see machineVersioning.ts).
 */
export async function machineLifecycle(input: MachineLifecycleInput): Promise<MachineStatus> {
  const state = new MachineState(input);
  const ready = input.ready;
  const held: Held = ready ? { host: ready.host, lease: ready.lease, secrets: ready.secrets } : {};
  const excludedHosts = ready ? [...ready.excludedHosts] : [];
  let spec: ResolvedMachine | undefined = ready?.spec;
  let failure: unknown;
  let cancelled = false;
  let handOver = false;

  const provisioning = new CancellationScope();
  // The operator's release interrupts whatever provisioning step is running or waiting.
  void condition(() => state.releaseRequested).then(
    () => {
      provisioning.cancel();
    },
    // Cancelling the whole workflow rejects this wait; the provisioning scope is cancelled with it.
    () => undefined,
  );
  try {
    handOver = await provisioning.run(async () => {
      let resolved = ready?.spec;
      if (!resolved) {
        resolved = await state.step('resolve', () => shortSteps().resolveMachine({ machine: input.machine }));
        spec = resolved;
        state.setNodeType(resolved.nodeType, resolved.properties, resolved.clusterNamespace);
        await provisionMachine(state, resolved, held, excludedHosts);
      }
      // Returns only to hand the Ready Machine to a new run; `release` cancels it.
      await serveWhileReady(state, resolved, held, excludedHosts, { resumed: ready !== undefined });
      return true;
    });
  } catch (err) {
    if (!isCancellation(err)) failure = err;
    else if (!state.releaseRequested) cancelled = true;
  }
  if (handOver && spec && held.host) {
    const next: ReadyMachine = { spec, host: held.host, excludedHosts, status: state.status };
    if (state.foldsWrites) next.foldsWrites = true;
    if (held.lease) next.lease = held.lease;
    if (held.secrets) next.secrets = held.secrets;
    return makeContinueAsNewFunc<typeof machineLifecycle>(readyRunOptions())({ ...input, ready: next });
  }

  state.setPhase('Releasing', failure ? `cleaning up after: ${errorMessage(failure)}` : undefined);
  await CancellationScope.nonCancellable(async () => {
    await releaseHostAndAddress(state, spec, held);
    // The snapshot exists from the resolve step on; the data Secrets from render on. One call deletes all.
    if (spec) {
      const clusterNamespace = spec.clusterNamespace;
      await state.step('deleteMachineData', () =>
        shortSteps().deleteMachineData({ clusterNamespace, machine: input.machine }),
      );
    }
  });

  if (failure) {
    state.setPhase('Failed', errorMessage(failure));
    throw ApplicationFailure.create({ type: 'MachineFailed', message: errorMessage(failure), nonRetryable: true });
  }
  state.setPhase('Released');
  if (cancelled)
    throw new CancelledFailure('the Machine workflow was cancelled; its host, address and Secrets were released');
  return state.status;
}

/** Claim, allocate, render, configure, provision: on another host for as long as the operator asks for one. */
async function provisionMachine(
  state: MachineState,
  spec: ResolvedMachine,
  held: Held,
  excludedHosts: string[],
): Promise<void> {
  while ((await provisionOnOneHost(state, spec, held, excludedHosts)) === OTHER_HOST) {
    await giveUpHost(state, spec, held, excludedHosts);
  }
}

async function provisionOnOneHost(
  state: MachineState,
  spec: ResolvedMachine,
  held: Held,
  excludedHosts: string[],
): Promise<'provisioned' | typeof OTHER_HOST> {
  const machine = state.status.machine;
  const { clusterNamespace } = spec;
  const { host: claimed } = await retrying(state, CLAIM_POLICY, () =>
    state.step('claimHost', () =>
      shortSteps().claimHost({
        clusterNamespace,
        machine,
        nodeType: spec.nodeType,
        selector: spec.selector,
        ...(spec.resources && { resources: spec.resources }),
        ...(spec.serverName && { serverName: spec.serverName }),
        excludedHosts,
      }),
    ),
  );
  held.host = claimed;
  state.setHost(claimed);
  const network = spec.network;
  if (network) {
    const lease = await retrying(state, ALLOCATE_POLICY, () =>
      state.step('allocateAddress', () =>
        shortSteps().allocateAddress({
          clusterNamespace,
          machine,
          host: claimed,
          network,
          leaseWithConfigure: state.foldsWrites,
        }),
      ),
    );
    held.lease = lease;
    state.setLease(lease);
  }
  const lease = held.lease;
  const writeData = () =>
    state.step('writeMachineData', () =>
      shortSteps().writeMachineData({
        clusterNamespace,
        machine,
        host: claimed,
        snapshotSecret: spec.snapshotSecret,
        ...(lease && { lease }),
      }),
    );
  held.secrets = patched(RENDER_LIMITS_STUCK_PATCH)
    ? await retrying(state, RENDER_POLICY, writeData)
    : await writeData();
  state.setPhase('Provisioning', `installing ${spec.image.url} on BareMetalHost ${claimed}`);
  return provisionHost(state, spec, held);
}

/** Leaves the current host for good: excluded for this Machine, released, its address freed. */
async function giveUpHost(state: MachineState, spec: ResolvedMachine, held: Held, excludedHosts: string[]) {
  // The data Secrets stay: rendering for the next host overwrites them.
  if (held.host) excludedHosts.push(held.host);
  await releaseHostAndAddress(state, spec, held);
}

/**
 * Ready until released. A report that the host was lost (from the NodeClaim controller) is checked
 * against the host itself; a real loss waits for the operator, whose `retry` provisions the same
 * host again and `retry --other-host` moves the Machine to another.
 * Returns when the Machine has just become Ready in this run: a new run serves it from there
 * (machineVersioning.ts). A `resumed` run is that new run, Ready from its start.
 */
async function serveWhileReady(
  state: MachineState,
  spec: ResolvedMachine,
  held: Held,
  excludedHosts: string[],
  { resumed }: { resumed: boolean },
): Promise<void> {
  const machine = state.status.machine;
  for (let readyFromStart = resumed; ; readyFromStart = false) {
    if (!readyFromStart) {
      state.setPhase('Ready', `provisioned on BareMetalHost ${held.host ?? ''}; send \`release\` to give it back`);
      // Histories from before the patch stay in one run; a request taken in is acted on here first.
      if (!state.hasPendingRequests() && patched(READY_CONTINUES_AS_NEW_PATCH)) return;
    }
    let lost: string | undefined;
    while (lost === undefined) {
      const report = await state.hostLossReported();
      const host = report.host;
      if (host !== held.host) continue;
      ({ lost } = await state.step('inspectHost', () =>
        shortSteps().inspectHost({ clusterNamespace: spec.clusterNamespace, machine, host }),
      ));
    }
    const request = await state.waitForOperator('Lost the host of a Ready Machine', lost, {
      phase: 'HostLost',
      otherHostMoves: true,
    });
    state.setPhase(
      'Provisioning',
      request?.otherHost ? 'moving to another host' : `again on BareMetalHost ${held.host ?? ''}`,
    );
    if (request?.otherHost || (await provisionHost(state, spec, held)) === OTHER_HOST) {
      await giveUpHost(state, spec, held, excludedHosts);
      await provisionMachine(state, spec, held, excludedHosts);
    }
  }
}

/**
 * Configure the host and wait for Ironic. BMO retries a failed attempt by itself while the image is
 * set; past the node type's attempt budget or the deadline the Machine is Stuck until an operator acts.
 */
async function provisionHost(
  state: MachineState,
  spec: ResolvedMachine,
  held: Held,
): Promise<'provisioned' | typeof OTHER_HOST> {
  const machine = state.status.machine;
  const { clusterNamespace } = spec;
  const host = held.host ?? '';
  const { awaitProvisioned } = provisioningWait(spec.provisioning.timeoutMs);
  const outcome = await retrying(state, provisionPolicy(spec.provisioning), async (afterFailedAttempt) => {
    const { resourceVersion: since } = await state.step('configureHost', () =>
      shortSteps().configureHost({
        clusterNamespace,
        machine,
        host,
        image: spec.image,
        secrets: held.secrets ?? {},
        lease: held.lease,
      }),
    );
    await state.step('awaitProvisioned', () =>
      awaitProvisioned({ clusterNamespace, machine, host, afterFailedAttempt, since }),
    );
  });
  return outcome === OTHER_HOST ? OTHER_HOST : 'provisioned';
}

/** Gives back the host and the address, in lifecycle order; a step that keeps failing waits for an operator. */
async function releaseHostAndAddress(
  state: MachineState,
  spec: ResolvedMachine | undefined,
  held: Held,
): Promise<void> {
  const machine = state.status.machine;
  const clusterNamespace = spec?.clusterNamespace ?? '';
  const host = held.host;
  let restored: RestoredHost | undefined;
  if (host) {
    await retrying(state, RELEASE_POLICY, async () => {
      const { resourceVersion: since } = await state.step('releaseHost', () =>
        shortSteps().releaseHost({ clusterNamespace, machine, host }),
      );
      const available = await state.step('awaitAvailable', () =>
        releaseWait.awaitAvailable({ clusterNamespace, machine, host, since }),
      );
      restored = restoredHostOf(available);
    });
    held.host = undefined;
    state.setHost(undefined);
  }
  if (held.lease) {
    await state.step('releaseAddress', () => shortSteps().releaseAddress({ clusterNamespace, machine, restored }));
    held.lease = undefined;
    state.setLease(undefined);
  }
}

/** Machines started since this patch are Stuck, not Failed, when rendering stops at a limit. */
export const RENDER_LIMITS_STUCK_PATCH = 'render-limits-stuck';

/** No host free waits for one; a pinned host that cannot be claimed now is Stuck and looked at again. */
const CLAIM_POLICY: RetryPolicy = {
  what: 'Claiming the pinned host',
  remedies: {
    [HostFailureType.NoHostAvailable]: 'waitForHost',
    [HostFailureType.HostNotEligible]: 'askOperatorOrRecheck',
  },
};

const ALLOCATE_POLICY: RetryPolicy = {
  what: 'Allocating an address',
  remedies: { [IpamFailureType.AddressPoolExhausted]: 'askOperatorOrRecheck' },
};

/** A template past a limit is Stuck, not Failed: the operator may raise the limit and retry. */
const RENDER_POLICY: RetryPolicy = {
  what: 'Rendering the Machine data',
  remedies: { [RENDER_LIMIT_EXCEEDED]: 'askOperator' },
};

/** BMO's failed attempts are retried at once up to the node type's budget; a deadline passed is not. */
function provisionPolicy({
  attempts,
  timeoutMs,
}: ResolvedMachine['provisioning']): RetryPolicy & { otherHostMoves: true } {
  return {
    what: 'Provisioning',
    remedies: Object.fromEntries(PROVISIONING_FAILURE_TYPES.map((type) => [type, 'askOperator' as const])),
    onTimeout: 'askOperator',
    deadlineMs: timeoutMs,
    attempts,
    countsProvisionAttempts: true,
    otherHostMoves: true,
  };
}

/** Nothing may stay claimed: a release step that keeps failing waits for the operator, whatever the failure. */
const RELEASE_POLICY: RetryPolicy = {
  what: 'Releasing the host',
  remedies: { [EVERY_FAILURE]: 'askOperator' },
  releasing: true,
};

setWorkflowOptions(() => ({ versioningBehavior: machineVersioningBehavior() }), machineLifecycle);
