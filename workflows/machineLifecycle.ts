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
  type MachinePhase,
  type MachineStatus,
  type ReadyMachine,
  type ResolvedMachine,
} from '../contracts/machineContract.js';
import { PROVISIONING_FAILURE_TYPES, provisioningWait, releaseWait, shortSteps } from './machineActivities.js';
import { failureType, isRetryableFailure, isTimeout } from './failureCause.js';
import { MachineState, describeDuration, errorMessage } from './machineState.js';
import { READY_CONTINUES_AS_NEW_PATCH, machineVersioningBehavior, readyRunOptions } from './machineVersioning.js';
import type { MachineSecretNames } from '../contracts/machineContract.js';

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

/** Claim, allocate, render, configure, provision — on another host when the operator asks for one. */
async function provisionMachine(
  state: MachineState,
  spec: ResolvedMachine,
  held: Held,
  excludedHosts: string[],
): Promise<void> {
  const machine = state.status.machine;
  for (;;) {
    const claimed = await claimWhenAvailable(state, spec, excludedHosts);
    held.host = claimed;
    state.setHost(claimed);
    const network = spec.network;
    if (network) {
      const lease = await untilOperatorGivesUp(
        state,
        'Allocating an address',
        [IpamFailureType.AddressPoolExhausted],
        () =>
          state.step('allocateAddress', () =>
            shortSteps().allocateAddress({ clusterNamespace: spec.clusterNamespace, machine, host: claimed, network }),
          ),
        { recheck: true },
      );
      held.lease = lease;
      state.setLease(lease);
    }
    const lease = held.lease;
    const writeData = () =>
      state.step('writeMachineData', () =>
        shortSteps().writeMachineData({
          clusterNamespace: spec.clusterNamespace,
          machine,
          host: claimed,
          snapshotSecret: spec.snapshotSecret,
          ...(lease && { lease }),
        }),
      );
    // A template past a limit is Stuck, not Failed: the operator may raise the limit and retry.
    held.secrets = patched(RENDER_LIMITS_STUCK_PATCH)
      ? await untilOperatorGivesUp(state, 'Rendering the Machine data', [RENDER_LIMIT_EXCEEDED], writeData)
      : await writeData();
    state.setPhase('Provisioning', `installing ${spec.image.url} on BareMetalHost ${claimed}`);
    if ((await provisionHost(state, spec, held)) === 'provisioned') return;
    await giveUpHost(state, spec, held, excludedHosts);
  }
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
    const request = await state.waitForOperator('Lost the host of a Ready Machine', lost, { phase: 'HostLost' });
    state.setPhase(
      'Provisioning',
      request?.otherHost ? 'moving to another host' : `again on BareMetalHost ${held.host ?? ''}`,
    );
    if (request?.otherHost || (await provisionHost(state, spec, held)) === 'otherHost') {
      await giveUpHost(state, spec, held, excludedHosts);
      await provisionMachine(state, spec, held, excludedHosts);
    }
  }
}

/** Waiting for a host is not a failure: retry with backoff until one frees up, waking early on `retry`. */
async function claimWhenAvailable(
  state: MachineState,
  spec: ResolvedMachine,
  excludedHosts: string[],
): Promise<string> {
  const machine = state.status.machine;
  let backoffMs = 5_000;
  for (;;) {
    try {
      const claimed = await untilOperatorGivesUp(
        state,
        'Claiming the pinned host',
        [HostFailureType.HostNotEligible],
        () =>
          state.step('claimHost', () =>
            shortSteps().claimHost({
              clusterNamespace: spec.clusterNamespace,
              machine,
              nodeType: spec.nodeType,
              selector: spec.selector,
              ...(spec.resources && { resources: spec.resources }),
              ...(spec.serverName && { serverName: spec.serverName }),
              excludedHosts,
            }),
          ),
        { recheck: true },
      );
      return claimed.host;
    } catch (err) {
      if (failureType(err) !== HostFailureType.NoHostAvailable) throw err;
      state.setPhase(
        'WaitingForHost',
        `${errorMessage(err)}; retrying in ${backoffMs / 1000}s (send \`retry\` to look now)`,
      );
      await state.waitForRetryOrTimeout(backoffMs);
      backoffMs = Math.min(backoffMs * 2, 300_000);
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
): Promise<'provisioned' | 'otherHost'> {
  const machine = state.status.machine;
  const host = held.host ?? '';
  const { awaitProvisioned } = provisioningWait(spec.provisioning.timeoutMs);
  let attempts = 0;
  let afterFailedAttempt = false;
  for (;;) {
    try {
      await state.step('configureHost', () =>
        shortSteps().configureHost({
          clusterNamespace: spec.clusterNamespace,
          machine,
          host,
          image: spec.image,
          secrets: held.secrets ?? {},
        }),
      );
      await state.step('awaitProvisioned', () =>
        awaitProvisioned({ clusterNamespace: spec.clusterNamespace, machine, host, afterFailedAttempt }),
      );
      return 'provisioned';
    } catch (err) {
      const timedOut = isTimeout(err);
      if (!timedOut && !PROVISIONING_FAILURE_TYPES.includes(failureType(err) ?? '')) throw err;
      attempts += 1;
      state.status.provisionAttempts += 1;
      afterFailedAttempt = true;
      if (!timedOut && attempts < spec.provisioning.attempts) continue;
      const what = timedOut
        ? `Provisioning passed its deadline of ${describeDuration(spec.provisioning.timeoutMs)}`
        : `Provisioning failed ${attempts} time(s)`;
      const request = await state.waitForOperator(what, errorMessage(err));
      state.setPhase('Provisioning', `retrying on BareMetalHost ${host}`);
      if (request?.otherHost) return 'otherHost';
      attempts = 0;
    }
  }
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
  if (host) {
    await untilOperatorGivesUp(
      state,
      'Releasing the host',
      [],
      async () => {
        await state.step('releaseHost', () => shortSteps().releaseHost({ clusterNamespace, machine, host }));
        await state.step('awaitAvailable', () => releaseWait.awaitAvailable({ clusterNamespace, machine, host }));
      },
      { releasing: true },
    );
    held.host = undefined;
    state.setHost(undefined);
  }
  if (held.lease) {
    await state.step('releaseAddress', () => shortSteps().releaseAddress({ clusterNamespace, machine }));
    held.lease = undefined;
    state.setLease(undefined);
  }
}

/** Stuck steps whose cause can go away by itself are tried again on a timer; histories from before do not. */
export const RECHECK_STUCK_STEPS_PATCH = 'recheck-self-healing-stuck-steps';
/** Machines started since this patch are Stuck, not Failed, when rendering stops at a limit. */
export const RENDER_LIMITS_STUCK_PATCH = 'render-limits-stuck';
const RECHECK_FIRST_MS = 10_000;
const RECHECK_MAX_MS = 300_000;

/**
 * Runs a step; when it fails with one of `stuckTypes` (or any failure, when none are named) the
 * Machine is Stuck until the operator sends `retry`, then the step runs again. With `recheck`, a
 * failure the activity marked retryable (a pinned host in error, an exhausted pool) is also tried
 * again by itself, backing off to every 5 min.
 */
async function untilOperatorGivesUp<T>(
  state: MachineState,
  what: string,
  stuckTypes: string[],
  run: () => Promise<T>,
  options: { releasing?: boolean; recheck?: boolean } = {},
): Promise<T> {
  let recheckMs = RECHECK_FIRST_MS;
  let phaseBefore: MachinePhase | undefined;
  for (;;) {
    try {
      const result = await run();
      if (phaseBefore !== undefined) state.setPhase(phaseBefore);
      return result;
    } catch (err) {
      if (isCancellation(err)) throw err;
      if (stuckTypes.length > 0 && !stuckTypes.includes(failureType(err) ?? '')) throw err;
      phaseBefore ??= state.status.phase;
      const recheck = options.recheck && isRetryableFailure(err) && patched(RECHECK_STUCK_STEPS_PATCH);
      const request = await state.waitForOperator(what, errorMessage(err), {
        ...(options.releasing && { releasing: true }),
        ...(recheck && { recheckAfterMs: recheckMs }),
      });
      recheckMs = Math.min(recheckMs * 2, RECHECK_MAX_MS);
      // The operator's retry shows the step running again; a timed recheck stays Stuck until it succeeds.
      if (request) {
        state.setPhase(phaseBefore);
        phaseBefore = undefined;
      }
    }
  }
}

setWorkflowOptions(() => ({ versioningBehavior: machineVersioningBehavior() }), machineLifecycle);
