import type { BmhImage } from '../api/bareMetalHost.js';
import type { LabelSelector } from '../api/labelSelector.js';
import type { Resources } from '../api/resources.js';
import type { AddressLease, Lease } from '../ipam/lease.js';
import type { MachineSecretNames, NetworkProperties, ResolvedMachine } from './machineContract.js';
import type { MachineRef } from './machineRef.js';

/**
 * The Machine lifecycle's activities as the workflow calls them, with their inputs and results. The
 * worker registers an implementation of exactly this; everything here travels through workflow
 * history, so it carries names and references only.
 */

/** Every step input names the Control Plane Cluster namespace of its hosts; the rest is per step. */
export interface InClusterNamespace {
  clusterNamespace: string;
}

/** What a claim asks for: the node type's selector and resources, optionally a pinned host. */
export interface HostRequest {
  selector: LabelSelector;
  resources?: Resources;
  /** `metal3.vcluster.com/server-name`: take exactly this host or fail. */
  serverName?: string;
  /** Hosts this Machine must not take (e.g. after an operator asked to retry on another host). */
  excludedHosts?: readonly string[];
}

export interface ClaimHostInput extends HostRequest {
  machine: MachineRef;
  /** For messages: which node type asked. */
  nodeType?: string;
}

export interface ClaimHostResult {
  host: string;
  namespace: string;
  /** True when this Machine already held the host (a retried claim). */
  alreadyClaimed: boolean;
}

export interface ConfigureHostResult {
  host: string;
  /** False when the host was already configured like this (a retried activity). */
  changed: boolean;
  /** The host's resourceVersion as the step left it: the wait that follows starts from there. */
  resourceVersion?: string;
}

export interface AwaitHostInput {
  machine: MachineRef;
  host: string;
}

/** A wait on the host that a step before it has just written. */
export interface FollowHostInput extends AwaitHostInput {
  /**
   * The host's resourceVersion as that step left it: a version in the worker's cache at least as new
   * stands in for the wait's first read. Absent (histories from before, a host the step did not find
   * ours), the wait reads the host.
   */
  since?: string;
}

export interface AwaitProvisionedInput extends FollowHostInput {
  /**
   * The previous attempt failed: BMO retries by itself while the image stays set, so the error and
   * deprovisioning that follow it are that old attempt's; judge only once a new attempt has begun.
   */
  afterFailedAttempt?: boolean;
}

export interface ProvisionedResult {
  host: string;
  state: 'provisioned';
  poweredOn: boolean;
}

export interface InspectHostResult {
  host: string;
  /** Why the host no longer serves the Machine; absent while it does. */
  lost?: string;
}

export interface ReleaseHostResult {
  host: string;
  /** `released`: BMO deprovisions it now; `notClaimed`/`deleted`: nothing of ours left on it. */
  outcome: 'released' | 'notClaimed' | 'deleted';
  /** The host's resourceVersion as the step left it, when released: the wait that follows starts from there. */
  resourceVersion?: string;
}

export interface AwaitAvailableResult {
  host: string;
  /**
   * `restored`: the host is back as we found it. `notClaimed`: it was already restored (a retried
   * activity). `deleted`/`detached`: an operator took it away meanwhile; the release ends there.
   */
  outcome: 'restored' | 'notClaimed' | 'deleted' | 'detached';
  /**
   * `restored` only: the address annotation the restore left on the host (its original's), or null when
   * it left none. Absent from results recorded before it was reported.
   */
  addressLeftOnHost?: string | null;
}

/** A host just restored by the release, and the address annotation the restore left on it. */
export interface RestoredHost {
  host: string;
  addressLeftOnHost: string | null;
}

/** What the workflow asks of address allocation. */
export interface AllocateAddressRequest {
  machine: MachineRef;
  /** The BareMetalHost (in the activities' namespace) that gets the lease annotations. */
  host: string;
  network: NetworkProperties;
  /**
   * The configure step writes the lease annotations with the image, so allocating leaves the host alone
   * (no read, no write). Machines started before that change get the lease onto the host here.
   */
  leaseWithConfigure?: boolean;
}

export interface ReleaseAddressInput {
  machine: MachineRef;
  /**
   * The host the release has just restored. After that write no lease of this Machine can come back
   * onto it (its address stays allocated to this Machine alone, which allocates no more), so its lease
   * needs no clearing, and no read, unless the restore itself left that address there.
   */
  restored?: RestoredHost;
}

/** The released host, when known: where the release restored the host, its lease needs no clearing. */
export function restoredHostOf(result: AwaitAvailableResult): RestoredHost | undefined {
  const { host, outcome, addressLeftOnHost } = result;
  return outcome === 'restored' && addressLeftOnHost !== undefined ? { host, addressLeftOnHost } : undefined;
}

/** An address with the pool it came from and its IPAddressAllocation object. */
export interface AllocatedAddress extends AddressLease {
  pool: string;
  /** Name of the IPAddressAllocation object. */
  allocation: string;
}

/** The lease; for a dual-stack node type the IPv4 address, with the IPv6 one in `ipv6`. */
export interface AllocateAddressResult extends Lease {
  pool: string;
  allocation: string;
  ipv6?: AllocatedAddress | undefined;
}

export interface ReleaseAddressResult {
  /** Addresses released by this call; empty when the Machine held none (a repeated release). */
  released: string[];
}

export interface DeleteMachineSecretsResult {
  deleted: string[];
}

export interface MachineActivities {
  resolveMachine(input: { machine: MachineRef }): Promise<ResolvedMachine>;
  claimHost(input: InClusterNamespace & ClaimHostInput): Promise<ClaimHostResult>;
  allocateAddress(input: InClusterNamespace & AllocateAddressRequest): Promise<AllocateAddressResult>;
  /** Renders the user data, network data and meta data and writes them as Secrets: returns their names only. */
  writeMachineData(
    input: InClusterNamespace & { machine: MachineRef; host: string; snapshotSecret: string; lease?: Lease },
  ): Promise<MachineSecretNames>;
  /** Sets the image, the data Secrets and the lease annotations, and powers the host on. */
  configureHost(
    input: InClusterNamespace & {
      machine: MachineRef;
      host: string;
      image: BmhImage;
      secrets: MachineSecretNames;
      lease?: Lease;
    },
  ): Promise<ConfigureHostResult>;
  awaitProvisioned(input: InClusterNamespace & AwaitProvisionedInput): Promise<ProvisionedResult>;
  inspectHost(input: InClusterNamespace & AwaitHostInput): Promise<InspectHostResult>;
  releaseHost(input: InClusterNamespace & AwaitHostInput): Promise<ReleaseHostResult>;
  awaitAvailable(input: InClusterNamespace & FollowHostInput): Promise<AwaitAvailableResult>;
  releaseAddress(input: InClusterNamespace & ReleaseAddressInput): Promise<ReleaseAddressResult>;
  /** Deletes the data Secrets and the snapshot: everything labelled with the Machine. */
  deleteMachineData(input: InClusterNamespace & { machine: MachineRef }): Promise<DeleteMachineSecretsResult>;
}
