import type { ScenarioRun } from './runScenario.js';
import { describeStep, hostName, type RawObject } from './scenarios.js';
import type { Observation } from './watchObjects.js';

/**
 * A scenario run reduced to what a controller did, without what varies between runs (timings,
 * uids, resourceVersions, timestamps, the namespace): the host's provisioning states in order and,
 * per stretch of one state, how each field changed; the BMC Secret's and related objects' metadata.
 */
export interface Recording {
  scenario: string;
  description: string;
  steps: string[];
  host: {
    /** Distinct provisioning states in order ("" before the first). */
    states: string[];
    /** One per entry of `states`: each field's distinct values in order while the host was in it. */
    segments: Segment[];
    gone: boolean;
  };
  bmcSecret: { versions: unknown[]; gone: boolean };
  /** Objects of other kinds in the namespace (HardwareData, …), by kind and normalized name. */
  related: Record<string, Record<string, { versions: unknown[]; gone: boolean }>>;
}

export interface Segment {
  state: string;
  /** Field path → its distinct consecutive values; ABSENT where a version lacked the field. */
  fields: Record<string, unknown[]>;
}

export const ABSENT = '<absent>';
/** Stands for a run of values counting up one by one (`status.errorCount` across retries). */
export const RISING = 'rising';
const TIME = '<time>';
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function normalizeRun(run: ScenarioRun): Recording {
  const { scenario, namespace } = run;
  const clean = (value: unknown) => scrub(value, namespace);
  const byKind = (kind: string) => run.observations.filter((o) => o.kind === kind);

  const hostVersions = byKind('host').filter((o) => o.type !== 'DELETED');
  const segments: Segment[] = [];
  let stretch: Record<string, unknown>[] = [];
  let stretchState: string | undefined;
  const close = () => {
    if (stretchState !== undefined) segments.push({ state: stretchState, fields: fieldHistory(stretch) });
  };
  for (const { object } of hostVersions) {
    const state = (object.status?.provisioning as { state?: string } | undefined)?.state ?? '';
    if (state !== stretchState) {
      close();
      stretch = [];
      stretchState = state;
    }
    stretch.push(flatten(clean(hostView(object))));
  }
  close();

  const related: Recording['related'] = {};
  for (const kind of [...new Set(run.observations.map((o) => o.kind))].sort()) {
    if (kind === 'host' || kind === 'secret') continue;
    const objects: Record<string, { versions: unknown[]; gone: boolean }> = {};
    for (const o of byKind(kind)) {
      const name = o.object.metadata?.name === hostName(scenario.name) ? '<host name>' : '<generated name>';
      const entry = (objects[name] ??= { versions: [], gone: false });
      recordVersion(entry, o, (object) => clean(metadataView(object)));
    }
    related[kind] = objects;
  }

  const bmcSecret = { versions: [] as unknown[], gone: false };
  for (const o of byKind('secret')) recordVersion(bmcSecret, o, (object) => clean(metadataView(object)));

  return {
    scenario: scenario.name,
    description: scenario.description,
    steps: scenario.steps.map(describeStep),
    host: {
      states: segments.map((s) => s.state),
      segments,
      gone: byKind('host').at(-1)?.type === 'DELETED',
    },
    bmcSecret,
    related,
  };
}

/** Appends the object's view unless it equals the previous one; a DELETED event marks it gone. */
function recordVersion(
  entry: { versions: unknown[]; gone: boolean },
  observation: Observation,
  view: (object: RawObject) => unknown,
): void {
  if (observation.type === 'DELETED') {
    entry.gone = true;
    return;
  }
  const next = view(observation.object);
  if (JSON.stringify(entry.versions.at(-1)) !== JSON.stringify(next)) entry.versions.push(next);
  entry.gone = false;
}

/** The parts of a host a controller writes or reads; server-managed metadata and empty parts are left out. */
function hostView(host: RawObject): Record<string, unknown> {
  const parts = { metadata: metadataView(host), spec: host.spec ?? {}, status: host.status ?? {} };
  return Object.fromEntries(Object.entries(parts).filter(([, part]) => Object.keys(part).length > 0));
}

function metadataView(object: RawObject): Record<string, unknown> {
  const metadata = object.metadata ?? {};
  const view: Record<string, unknown> = {};
  for (const key of ['labels', 'annotations', 'finalizers'] as const) {
    if (metadata[key] !== undefined) view[key] = metadata[key];
  }
  if (Array.isArray(metadata.ownerReferences)) {
    view.ownerReferences = (metadata.ownerReferences as Record<string, unknown>[]).map(
      ({ uid: _uid, ...reference }) => reference,
    );
  }
  if (metadata.deletionTimestamp !== undefined) view.deletionTimestamp = TIME;
  return view;
}

/**
 * Replaces what differs between runs: timestamps, the namespace inside strings, resourceVersions
 * of credentials and the provisioner's node ID (a UUID with Ironic).
 */
function scrub(value: unknown, namespace: string, key = ''): unknown {
  if (typeof value === 'string') {
    if (ISO_TIME.test(value)) return TIME;
    if (key === 'credentialsVersion') return '<resourceVersion>';
    if (key === 'ID' && value !== '') return '<id>';
    return value.split(namespace).join('<namespace>');
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, namespace));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, namespace, k)]));
  }
  return value;
}

/**
 * Leaf paths of an object: `a.b`, `a.list[0].c`. Arrays of plain values (finalizers, flags) and
 * empty objects or arrays are leaves themselves, so "set but empty" stays visible.
 */
export function flatten(value: unknown, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  const isObject = value !== null && typeof value === 'object';
  const plainArray = Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object');
  if (!isObject || plainArray || Object.keys(value).length === 0) {
    into[prefix] = value;
    return into;
  }
  for (const [key, child] of Object.entries(value)) {
    flatten(child, Array.isArray(value) ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key, into);
  }
  return into;
}

/** Each path's distinct consecutive values over a stretch of versions, paths sorted. */
function fieldHistory(versions: Record<string, unknown>[]): Record<string, unknown[]> {
  const paths = [...new Set(versions.flatMap((v) => Object.keys(v)))].sort();
  const history: Record<string, unknown[]> = {};
  for (const path of paths) {
    const values: unknown[] = [];
    for (const version of versions) {
      const value = path in version ? version[path] : ABSENT;
      if (JSON.stringify(values.at(-1)) !== JSON.stringify(value)) values.push(value);
    }
    history[path] = path === 'status.errorCount' ? collapseRising(values) : values;
  }
  return history;
}

/**
 * A count going up one by one on retries is reported as "rising" after its first value, so that
 * how many retries fit into a wait does not change the recording: [0, 1, 2, 3] → [0, "rising"];
 * a single step stays as it is: [0, 1] → [0, 1].
 */
export function collapseRising(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  while (i < values.length) {
    out.push(values[i]);
    let end = i;
    while (end + 1 < values.length && isNext(values[end], values[end + 1])) end++;
    if (end - i >= 2) {
      out.push(RISING);
      i = end + 1;
    } else {
      i++;
    }
  }
  return out;
}

function isNext(a: unknown, b: unknown): boolean {
  return typeof a === 'number' && typeof b === 'number' && b === a + 1;
}
