import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { classifyApiError } from '../../k8s/apiErrors.js';
import { describeExclusions, hostEligibility, isTemporaryExclusion, selectCandidates } from './eligibility.js';
import { hostsToChooseFrom, indexedChoice } from './candidateHosts.js';
import { inClaimOrder } from './claimOrder.js';
import { hostFailure } from './failures.js';
import { recordHostEvent, type HostDeps } from './hostDeps.js';
import { describeMachine, isConsumedBy } from './consumerRef.js';
import { claimedHost } from './originalRecord.js';
import type { ClaimHostInput, ClaimHostResult } from '../../contracts/machineActivityContract.js';
import { HostFailureType } from '../../contracts/hostFailureTypes.js';

/**
 * Reads of the hosts are repeated when every candidate was lost to concurrent claims; hosts may have
 * been freed meanwhile. The first read is the shared cache's (when synced), the others LISTs.
 */
const LIST_ROUNDS = 3;
/** A conflict caused by an unrelated change (BMO writing status) is retried on the same host this often. */
const SAME_HOST_ATTEMPTS = 5;

type Attempt = { kind: 'claimed'; host: BareMetalHost; already: boolean } | { kind: 'lost' };

/**
 * Takes one BareMetalHost for a Machine: one PUT carrying the resourceVersion that was read, which
 * sets consumerRef and the record of the original, so two Machines can never both succeed on one
 * host however many claims run at once.
 */
export async function claimHost(deps: HostDeps, input: ClaimHostInput): Promise<ClaimHostResult> {
  const result = input.serverName ? await claimPinned(deps, input, input.serverName) : await claimAny(deps, input);
  if (!result.already) {
    await recordHostEvent(deps, result.host, 'Claimed', `Claimed for NodeClaim ${describeMachine(input.machine)}`);
  }
  return { host: result.host.metadata.name, namespace: deps.hosts.namespace, alreadyClaimed: result.already };
}

async function claimAny(deps: HostDeps, input: ClaimHostInput): Promise<{ host: BareMetalHost; already: boolean }> {
  let summary = '';
  for (let round = 0; round < LIST_ROUNDS; round++) {
    const indexed = await indexedChoice(deps, input, round);
    if (indexed?.ours) return { host: indexed.ours, already: true };
    if (indexed) {
      const { claimed, tried } = await claimFirstOf(deps, input, indexed.candidates);
      if (tried > 0) deps.onHostsRead('cache');
      if (claimed) return claimed;
      // Every indexed host was lost to other claims: the next round LISTs. None at all: the hosts are
      // read below, which says why none is claimable.
      if (tried > 0) continue;
    }
    const { hosts, source } = await hostsToChooseFrom(deps, input.selector, round);
    deps.onHostsRead(source);
    const selection = selectCandidates(hosts, input, input.machine);
    if (selection.ours) return { host: selection.ours, already: true };
    summary = `${selection.matched} host(s) match the selector: ${describeExclusions(selection.excluded)}`;
    if (selection.candidates.length === 0) {
      throw noHostAvailable(deps, input, summary, { matched: selection.matched, excluded: selection.excluded });
    }
    const { claimed } = await claimFirstOf(deps, input, inClaimOrder(selection.candidates, deps.random));
    if (claimed) return claimed;
  }
  throw noHostAvailable(deps, input, `every free host was taken by concurrent claims (${summary})`, {});
}

/** Tries `candidates` in their order, hosts this worker is already claiming last: the first claimed, and how many were tried. */
async function claimFirstOf(
  deps: HostDeps,
  input: ClaimHostInput,
  candidates: Iterable<BareMetalHost>,
): Promise<{ claimed?: { host: BareMetalHost; already: boolean }; tried: number }> {
  let tried = 0;
  for (const candidate of deps.localClaims.order(candidates)) {
    tried++;
    const attempt = await tryClaim(deps, input, candidate);
    if (attempt.kind === 'claimed') return { claimed: { host: attempt.host, already: attempt.already }, tried };
  }
  return { tried };
}

async function claimPinned(
  deps: HostDeps,
  input: ClaimHostInput,
  name: string,
): Promise<{ host: BareMetalHost; already: boolean }> {
  for (let attempt = 0; attempt < SAME_HOST_ATTEMPTS; attempt++) {
    let host: BareMetalHost;
    try {
      host = await deps.hosts.get(name);
    } catch (err) {
      if (classifyApiError(err).kind !== 'notFound') throw err;
      throw notEligible(deps, input, name, `there is no BareMetalHost ${name}`, true);
    }
    if (isConsumedBy(host, input.machine)) return { host, already: true };
    const verdict = hostEligibility(host, input, input.machine);
    if (!verdict.eligible) {
      // Held by another Machine, still registering, paused: it frees up by itself, so the claim waits.
      if (isTemporaryExclusion(verdict.reason) && verdict.reason !== 'inError') {
        throw noHostAvailable(deps, input, `the pinned BareMetalHost ${name} is ${verdict.detail}`, {
          host: name,
          reason: verdict.reason,
        });
      }
      throw notEligible(deps, input, name, verdict.detail, !isTemporaryExclusion(verdict.reason));
    }
    const result = await tryClaim(deps, input, host);
    if (result.kind === 'claimed') return { host: result.host, already: result.already };
  }
  throw notEligible(deps, input, name, 'it kept changing while we tried to claim it', false);
}

/** One candidate: claim it, or re-read after a conflict and retry while it is still eligible. */
async function tryClaim(deps: HostDeps, input: ClaimHostInput, candidate: BareMetalHost): Promise<Attempt> {
  const end = deps.localClaims.begin(candidate.metadata.name);
  try {
    return await claimOne(deps, input, candidate);
  } finally {
    end();
  }
}

async function claimOne(deps: HostDeps, input: ClaimHostInput, candidate: BareMetalHost): Promise<Attempt> {
  let host = candidate;
  for (let attempt = 0; attempt < SAME_HOST_ATTEMPTS; attempt++) {
    try {
      return { kind: 'claimed', host: await deps.hosts.replace(claimedHost(host, input.machine)), already: false };
    } catch (err) {
      const kind = classifyApiError(err).kind;
      if (kind === 'notFound') return { kind: 'lost' };
      if (kind !== 'conflict') throw err;
      deps.onClaimConflict();
    }
    try {
      host = await deps.hosts.get(host.metadata.name);
    } catch (err) {
      if (classifyApiError(err).kind === 'notFound') return { kind: 'lost' };
      throw err;
    }
    if (isConsumedBy(host, input.machine)) return { kind: 'claimed', host, already: true };
    if (!hostEligibility(host, input, input.machine).eligible) return { kind: 'lost' };
  }
  return { kind: 'lost' };
}

function noHostAvailable(deps: HostDeps, input: ClaimHostInput, why: string, details: object) {
  const nodeType = input.nodeType ? ` of node type ${input.nodeType}` : '';
  return hostFailure(
    HostFailureType.NoHostAvailable,
    `No BareMetalHost${nodeType} available in namespace ${deps.hosts.namespace} for ${describeMachine(input.machine)}: ${why}. ` +
      `Add or free hosts matching the selector; the claim is retried`,
    { nonRetryable: false, details },
  );
}

function notEligible(deps: HostDeps, input: ClaimHostInput, name: string, why: string, permanent: boolean) {
  const advice = permanent
    ? 'change metal3.vcluster.com/server-name or the host'
    : 'the claim is retried until the host is free';
  return hostFailure(
    HostFailureType.HostNotEligible,
    `BareMetalHost ${name} (namespace ${deps.hosts.namespace}) pinned by metal3.vcluster.com/server-name cannot be claimed ` +
      `for ${describeMachine(input.machine)}: ${why}; ${advice}`,
    { nonRetryable: permanent, details: { host: name, reason: why } },
  );
}
