import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BmhImage } from '../api/bareMetalHost.js';
import type { LabelSelector } from '../api/labelSelector.js';
import type { Resources } from '../api/resources.js';
import type { MachineRef } from './machineRef.js';
import type { Lease } from '../ipam/lease.js';
import type { PoolSource } from '../ipam/pool.js';

/**
 * What the Machine workflow, its activities and its clients agree on. Everything here travels
 * through workflow history, so it carries names and references only — never user data, join
 * tokens, rendered templates or credentials.
 */
export type { MachineRef };

/** The network properties of the Machine's effective spec that concern its address. */
export interface NetworkProperties extends PoolSource {
  dnsServers?: string | undefined;
  ntpServers?: string | undefined;
}

/** The Machine's data Secrets by kind, as BMO reads them; a kind not written is absent. */
export interface MachineSecretNames {
  userData?: string;
  networkData?: string;
  metaData?: string;
}

export const PROVISIONING_TASK_QUEUE = 'metal3-provisioning';

/** The Machine's configuration cannot be used (missing object, bad property); not retried. */
export const CONFIG_INVALID = 'ConfigInvalid';

/**
 * Rendering the Machine data stopped at a limit (template time, memory, steps, output size): not
 * retried by itself; the Machine is Stuck until the operator raises the limit and retries, or releases.
 */
export const RENDER_LIMIT_EXCEEDED = 'RenderLimitExceeded';

export function machineWorkflowId(machine: Pick<MachineRef, 'namespace' | 'name'>): string {
  return `machine/${machine.namespace}/${machine.name}`;
}

export const MachinePhases = [
  'Pending',
  'WaitingForHost',
  'Provisioning',
  'Ready',
  'HostLost',
  'Stuck',
  'Releasing',
  'Released',
  'Failed',
] as const;
export type MachinePhase = (typeof MachinePhases)[number];

export interface MachineLifecycleInput {
  /** The NodeClaim (Machine request) in the cluster; its contents are read by the resolve step. */
  machine: MachineRef;
  /** The NodeProvider's name, for search attributes before the claim is read. */
  provider: string;
  /**
   * Set when a Ready Machine continues as new: the new run starts Ready with exactly this and serves,
   * moves or releases the Machine from it. Names and references only, like everything in history.
   */
  ready?: ReadyMachine;
}

/** What a Ready Machine holds and has been through: all its next run needs to serve, move or release it. */
export interface ReadyMachine {
  spec: ResolvedMachine;
  host: string;
  lease?: Lease;
  secrets?: MachineSecretNames;
  /** Hosts this Machine has given up on (`retry --other-host`); never claimed again for it. */
  excludedHosts: string[];
  /** Phase Ready, with the step history and properties `machine status` shows. */
  status: MachineStatus;
  /** The Machine folds its writes (workflows/machineState.ts, FOLDED_WRITES_PATCH); runs continued before that do not. */
  foldsWrites?: boolean;
}

/** The effective spec, snapshotted when the Machine starts; later edits do not change a running provision. */
export interface ResolvedMachine {
  provider: string;
  nodeType: string;
  /** Namespace of the BareMetalHosts (NodeProvider `clusterRef.namespace`). */
  clusterNamespace: string;
  selector: LabelSelector;
  resources?: Resources;
  serverName?: string;
  image: BmhImage;
  /** Present when the Machine's properties ask for an address from our IPAM. */
  network?: NetworkProperties;
  provisioning: { attempts: number; timeoutMs: number };
  /** Secret holding the render spec (parsed properties, user data, join commands) the render step reads. */
  snapshotSecret: string;
  /** Effective properties with where each came from; secret values redacted. */
  properties: Record<string, { value: string; origin: string }>;
}

export interface StepRecord {
  step: string;
  host?: string;
  startedAt: string;
  endedAt?: string;
  outcome?: 'ok' | 'failed' | 'cancelled';
  error?: string;
}

export interface MachineStatus {
  machine: MachineRef;
  phase: MachinePhase;
  nodeType?: string;
  /** Namespace of the BareMetalHosts (NodeProvider `clusterRef.namespace`), once resolved. */
  clusterNamespace?: string;
  host?: string;
  /** The first lease's address with its prefix (IPv4 for a dual-stack Machine): `MachineAddress`. */
  address?: string;
  /** Every address with its prefix, IPv4 first: two for a dual-stack Machine. */
  addresses?: string[];
  /** The step running now, or the one that is stuck. */
  step?: string;
  provisionAttempts: number;
  lastError?: string;
  /** Plain words: what is wrong and what the operator can send. */
  details?: string;
  steps: StepRecord[];
  properties: Record<string, { value: string; origin: string }>;
}

export interface RetryRequest {
  /** Release this host, exclude it for this Machine, and claim another. */
  otherHost?: boolean;
}

/** Someone saw the Ready Machine's host go (deleted, deprovisioned, powered off, taken over). */
export interface HostLossReport {
  host: string;
  /** What was seen, in words; the workflow checks the host itself before it acts. */
  reason: string;
}

export const retrySignal = defineSignal<[RetryRequest?]>('retry');
export const hostLostSignal = defineSignal<[HostLossReport]>('hostLost');
export const releaseSignal = defineSignal('release');
export const retryUpdate = defineUpdate<string, [RetryRequest]>('retry');
export const releaseUpdate = defineUpdate<string>('release');
export const statusQuery = defineQuery<MachineStatus>('status');
