import type { MachineRef } from './machineRef.js';

/**
 * What the fleet reclaim workflow, its activities, the CLI and the schedule agree on. Everything
 * here travels through workflow history: names and counts only, never Secret contents.
 */

export const FLEET_RECLAIM_WORKFLOW_TYPE = 'fleetReclaim';
/** The schedule `metal3-provider reclaim schedule` creates or updates. */
export const RECLAIM_SCHEDULE_ID = 'fleet-reclaim';

export const RECLAIM_DEFAULTS = {
  /** Objects listed per Kubernetes request, and stuck Machines per visibility page. */
  pageSize: 100,
  /** Pages handled before the workflow continues as new, keeping each run's history short. */
  pagesPerRun: 20,
  /** A Machine Stuck for longer than this is listed in the report. */
  stuckAfterMs: 60 * 60 * 1000,
} as const;

/** A NodeProvider named for the reclaim does not exist; not retried. */
export const RECLAIM_SCOPE_INVALID = 'ReclaimScopeInvalid';

/** At most this many names per kind are kept in the report; the counts stay exact. */
export const REPORT_NAME_LIMIT = 500;

export interface ReclaimInput {
  /** Only report what would be done. */
  dryRun?: boolean;
  /** NodeProviders whose cluster namespaces are scanned; all NodeProviders when absent. */
  providers?: string[];
  pageSize?: number;
  pagesPerRun?: number;
  stuckAfterMs?: number;
  /** Set by the workflow itself when it continues as new; never by callers. */
  progress?: ReclaimProgress;
}

export const RECLAIM_KINDS = ['hosts', 'addresses', 'secrets', 'stuck'] as const;
export type ReclaimKind = (typeof RECLAIM_KINDS)[number];

/** Where a listing resumes: the Kubernetes continue token, and the last name seen in case it expired. */
export interface PageCursor {
  token?: string;
  after?: string;
}

export interface ReclaimScope {
  /** Cluster namespaces of the providers: where hosts, allocations and Secrets live. */
  namespaces: string[];
  /** NodeProviders in scope; empty means every Machine (used for the stuck listing). */
  providers: string[];
}

export interface ReclaimPosition {
  /** Index into scope.namespaces (unused for `stuck`). */
  namespace: number;
  kind: ReclaimKind;
  page: PageCursor;
}

export interface ReclaimProgress {
  scope: ReclaimScope;
  position: ReclaimPosition;
  report: ReclaimReport;
}

/** One repaired (or, in a dry run, repairable) object. */
export interface ReclaimItem {
  /** Cluster namespace of the object. */
  namespace: string;
  /** Host name, IP address, or Secret name. */
  name: string;
  /** `<namespace>/<name>` of the Machine that is gone. */
  machine: string;
  outcome: string;
  detail?: string;
}

export interface StuckMachine {
  machine: string;
  workflowId: string;
  /** When the Machine entered Stuck, when its status says so. */
  stuckSince?: string;
  details?: string;
}

export interface KindTally {
  /** Objects found whose Machine is gone. */
  found: number;
  /** Repaired (0 in a dry run). */
  repaired: number;
  failed: number;
  items: ReclaimItem[];
}

export interface ReclaimReport {
  dryRun: boolean;
  startedAt: string;
  finishedAt?: string;
  namespaces: string[];
  hosts: KindTally;
  addresses: KindTally;
  secrets: KindTally;
  /** Objects that look like ours but whose Machine cannot be told; left alone. */
  skipped: ReclaimItem[];
  /** Listings that kept failing; what they would have found is left for the next run. */
  errors: string[];
  stuck: StuckMachine[];
  stuckAfterMs: number;
  /** Kubernetes objects and workflows looked at. */
  scanned: number;
  pages: number;
  /** Workflow runs the reclaim took (continue-as-new carries the report). */
  runs: number;
}

export function emptyTally(): KindTally {
  return { found: 0, repaired: 0, failed: 0, items: [] };
}

export function emptyReport(options: { dryRun: boolean; startedAt: string; stuckAfterMs: number }): ReclaimReport {
  return {
    dryRun: options.dryRun,
    startedAt: options.startedAt,
    namespaces: [],
    hosts: emptyTally(),
    addresses: emptyTally(),
    secrets: emptyTally(),
    skipped: [],
    errors: [],
    stuck: [],
    stuckAfterMs: options.stuckAfterMs,
    scanned: 0,
    pages: 0,
    runs: 1,
  };
}

/**
 * The next page to look at: more of the same listing while it has more, else the next kind in
 * lifecycle order (hosts, then addresses, then Secrets) in the same namespace, then the next
 * namespace, and last the Stuck Machines. Undefined when everything was looked at.
 */
export function nextPosition(
  scope: ReclaimScope,
  position: ReclaimPosition,
  next: PageCursor | undefined,
): ReclaimPosition | undefined {
  if (next) return { ...position, page: next };
  const order: ReclaimKind[] = ['hosts', 'addresses', 'secrets'];
  const index = order.indexOf(position.kind);
  const following = order[index + 1];
  if (index >= 0 && following) return { namespace: position.namespace, kind: following, page: {} };
  if (index >= 0 && position.namespace + 1 < scope.namespaces.length) {
    return { namespace: position.namespace + 1, kind: 'hosts', page: {} };
  }
  if (position.kind !== 'stuck') return { namespace: 0, kind: 'stuck', page: {} };
  return undefined;
}

/**
 * Where to go on when a listing keeps failing: past the rest of its namespace, since addresses and
 * Secrets are only given back after the hosts of the same namespace (the lifecycle's order).
 */
export function skipPosition(scope: ReclaimScope, position: ReclaimPosition): ReclaimPosition | undefined {
  if (position.kind === 'stuck') return undefined;
  return nextPosition(scope, { namespace: position.namespace, kind: 'secrets', page: {} }, undefined);
}

/** Where a reclaim starts: the first namespace's hosts, or the Stuck Machines when no namespace is in scope. */
export function firstPosition(scope: ReclaimScope): ReclaimPosition {
  return { namespace: 0, kind: scope.namespaces.length > 0 ? 'hosts' : 'stuck', page: {} };
}

/** Nothing found to repair (stuck Machines are only listed, so they do not count). */
export function reportIsClean(report: ReclaimReport): boolean {
  return report.hosts.found + report.addresses.found + report.secrets.found === 0;
}

const KIND_TITLES = {
  hosts: 'BareMetalHosts released and restored',
  addresses: 'IP addresses freed',
  secrets: 'Machine Secrets deleted',
} as const;

const DRY_TITLES = {
  hosts: 'BareMetalHosts to release and restore',
  addresses: 'IP addresses to free',
  secrets: 'Machine Secrets to delete',
} as const;

/** The report as Markdown: the workflow's current details in the Web UI, and the CLI's output. */
export function reportMarkdown(report: ReclaimReport, state: 'running' | 'done'): string {
  const lines: string[] = [];
  const mode = report.dryRun ? ' (dry run: nothing changed)' : '';
  lines.push(
    state === 'running'
      ? `**Fleet reclaim running**${mode} — ${report.pages} page(s), ${report.scanned} object(s) looked at`
      : `**Fleet reclaim done**${mode} — ${report.scanned} object(s) looked at in ${report.pages} page(s), ${report.runs} run(s)`,
  );
  lines.push(`Namespaces: ${report.namespaces.length > 0 ? report.namespaces.join(', ') : 'none'}`);
  if (state === 'done' && reportIsClean(report) && report.errors.length === 0)
    lines.push('', 'Nothing to reclaim: every host, address and Secret belongs to a running Machine.');
  for (const kind of ['hosts', 'addresses', 'secrets'] as const) {
    const tally = report[kind];
    if (tally.found === 0) continue;
    const counts = report.dryRun
      ? `${tally.found}`
      : `${tally.repaired} of ${tally.found}${tally.failed > 0 ? `, ${tally.failed} failed` : ''}`;
    lines.push('', `### ${(report.dryRun ? DRY_TITLES : KIND_TITLES)[kind]}: ${counts}`);
    lines.push(...tally.items.map((item) => `- ${describeItem(item)}`));
    if (tally.items.length < tally.found) lines.push(`- … ${tally.found - tally.items.length} more`);
  }
  if (report.errors.length > 0) {
    lines.push('', `### Could not finish: ${report.errors.length}`);
    lines.push(...report.errors.map((error) => `- ${error}`));
  }
  if (report.skipped.length > 0) {
    lines.push('', `### Left alone: ${report.skipped.length}`);
    lines.push(...report.skipped.map((item) => `- ${describeItem(item)}`));
  }
  if (report.stuck.length > 0) {
    lines.push(
      '',
      `### Machines Stuck for over ${formatDuration(report.stuckAfterMs)} (not touched): ${report.stuck.length}`,
    );
    lines.push(
      ...report.stuck.map(
        (m) =>
          `- \`${m.machine}\` (workflow \`${m.workflowId}\`)${m.stuckSince ? ` Stuck since ${m.stuckSince}` : ''}${
            m.details ? ` — ${m.details}` : ''
          }`,
      ),
    );
  }
  return lines.join('\n');
}

function describeItem(item: ReclaimItem): string {
  return `\`${item.namespace}/${item.name}\` of Machine \`${item.machine}\`: ${item.outcome}${item.detail ? ` (${item.detail})` : ''}`;
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

export interface ScanInput {
  /** Cluster namespace to list. */
  namespace: string;
  limit: number;
  page: PageCursor;
}

export interface ScanResult<T> {
  /** Objects whose Machine's workflow is closed or absent. */
  found: T[];
  /** Objects that look like ours but cannot be tied to a Machine; the reclaim leaves them alone. */
  skipped: ReclaimItem[];
  scanned: number;
  next?: PageCursor;
}

export interface OrphanHost {
  host: string;
  machine: MachineRef;
}

export interface OrphanAddress {
  allocation: string;
  address: string;
  machine: MachineRef;
}

export interface OrphanSecret {
  secret: string;
  machine: MachineRef;
}

export interface FindStuckInput {
  /** Only Machines of these NodeProviders; every Machine when empty. */
  providers: string[];
  stuckAfterMs: number;
  limit: number;
  /** Visibility page token (base64) from the previous page. */
  token?: string;
}

export interface FindStuckResult {
  found: StuckMachine[];
  scanned: number;
  next?: string;
}

/**
 * The fleet reclaim's finders: each lists one page of one kind of object and keeps those whose
 * Machine is gone. The repairs are the Machine lifecycle's own activities.
 */
export interface ReclaimActivities {
  reclaimScope(input: { providers?: string[] }): Promise<ReclaimScope>;
  reclaimFindHosts(input: ScanInput): Promise<ScanResult<OrphanHost>>;
  reclaimFindAddresses(input: ScanInput): Promise<ScanResult<OrphanAddress>>;
  reclaimFindSecrets(input: ScanInput): Promise<ScanResult<OrphanSecret>>;
  reclaimFindStuck(input: FindStuckInput): Promise<FindStuckResult>;
}
