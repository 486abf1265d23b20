import type { Recording } from './normalize.js';

/** A difference between BMO and the simulator that is known and accepted, with the reason. */
export interface NotReproduced {
  id: string;
  /** What BMO does that the simulator does not, in words. */
  what: string;
  reason: string;
  /**
   * Keys of the comparable form (see comparableEntries) the difference shows up in. `*` stands for
   * any text without a dot, `**` for any text.
   */
  keys: string[];
  /** Only in these scenarios; every scenario when absent. */
  scenarios?: string[];
}

export interface Comparison {
  /** Differences not accepted, one readable block each. */
  mismatches: string[];
  /** Ids of the accepted differences that matched something in this scenario. */
  used: Set<string>;
}

/**
 * Flattens a recording into keys compared one by one: the states, each stretch's fields as
 * `host.<state>#<n>.<field path>` (n counts visits to that state), the Secret, each related kind,
 * and the scenario's steps (a recording made from other steps must be made again).
 */
export function comparableEntries(recording: Recording): Map<string, unknown> {
  const entries = new Map<string, unknown>();
  entries.set('steps', recording.steps);
  entries.set('host.states', recording.host.states);
  entries.set('host.gone', recording.host.gone);
  const visits = new Map<string, number>();
  for (const segment of recording.host.segments) {
    const n = (visits.get(segment.state) ?? 0) + 1;
    visits.set(segment.state, n);
    for (const [path, values] of Object.entries(segment.fields)) {
      entries.set(`host.${segment.state}#${n}.${path}`, values);
    }
  }
  entries.set('bmcSecret.versions', recording.bmcSecret.versions);
  entries.set('bmcSecret.gone', recording.bmcSecret.gone);
  for (const [kind, objects] of Object.entries(recording.related)) entries.set(`related.${kind}`, objects);
  return entries;
}

export function compareRecordings(
  recorded: Recording,
  simulated: Recording,
  notReproduced: readonly NotReproduced[],
): Comparison {
  const expected = comparableEntries(recorded);
  const actual = comparableEntries(simulated);
  const accepted = notReproduced.filter((d) => !d.scenarios || d.scenarios.includes(recorded.scenario));
  const mismatches: string[] = [];
  const used = new Set<string>();
  const keys = [...new Set([...expected.keys(), ...actual.keys()])];
  for (const key of keys) {
    const [want, got] = [expected.get(key), actual.get(key)];
    if (JSON.stringify(want) === JSON.stringify(got)) continue;
    const excuse = accepted.find((d) => d.keys.some((pattern) => keyPattern(pattern).test(key)));
    if (excuse) {
      used.add(excuse.id);
      continue;
    }
    mismatches.push(`${key}\n    BMO: ${show(want)}\n    sim: ${show(got)}`);
  }
  return { mismatches, used };
}

export function keyPattern(pattern: string): RegExp {
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^.]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}
