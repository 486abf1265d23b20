import type { MachineSummary } from '../client/machineClient.js';
import { MachinePhases } from '../contracts/machineContract.js';

/** Rows padded into columns two spaces apart, trailing blanks trimmed. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

const phaseOrder = (phase: string): number => {
  const index = (MachinePhases as readonly string[]).indexOf(phase);
  return index < 0 ? MachinePhases.length : index;
};

/**
 * One line per phase and node type with its number of Machines, in lifecycle order (then node type),
 * and the total. A Machine without a phase or node type yet counts under `-`.
 */
export function summaryTable(machines: readonly MachineSummary[]): string {
  const counts = new Map<string, { phase: string; nodeType: string; count: number }>();
  for (const m of machines) {
    const phase = m.phase ?? '-';
    const nodeType = m.nodeType ?? '-';
    const key = `${phase}\u0000${nodeType}`;
    const entry = counts.get(key) ?? { phase, nodeType, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  const rows = [...counts.values()]
    .sort((a, b) => phaseOrder(a.phase) - phaseOrder(b.phase) || a.nodeType.localeCompare(b.nodeType))
    .map((e) => [e.phase, e.nodeType, String(e.count)]);
  return table([['PHASE', 'NODE TYPE', 'MACHINES'], ...rows, ['total', '', String(machines.length)]]);
}

/** `machine list`: each Machine, then the summary per phase and node type. */
export function machineListing(machines: readonly MachineSummary[]): string {
  const rows = machines.map((m) => [
    m.machine,
    m.phase ?? '',
    m.nodeType ?? '',
    m.host ?? '',
    m.address ?? '',
    m.status,
  ]);
  return `${table([['MACHINE', 'PHASE', 'NODE TYPE', 'HOST', 'ADDRESS', 'WORKFLOW'], ...rows])}\n${summaryTable(machines)}`;
}

/** `--watch <seconds>`: a whole number of seconds, at least 1. */
export function parseWatchInterval(value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1)
    throw new Error(`--watch ${value} is not a whole number of seconds ≥ 1`);
  return seconds;
}

/**
 * Lists again every `seconds` until `signal` aborts. On a terminal the screen is redrawn under a
 * timestamp; otherwise a listing is printed, under its timestamp, only when it changed.
 */
export async function watchListing(
  list: () => Promise<readonly MachineSummary[]>,
  seconds: number,
  out: { write(text: string): unknown; isTTY?: boolean },
  signal: AbortSignal,
  now: () => Date = () => new Date(),
): Promise<void> {
  let last = '';
  // A function, not the property: the signal aborts while the listing is awaited.
  const aborted = () => signal.aborted;
  while (!aborted()) {
    const text = machineListing(await list());
    if (out.isTTY) out.write(`\x1b[H\x1b[2J${now().toISOString()}  every ${seconds}s, Ctrl-C to stop\n\n${text}`);
    else if (text !== last) out.write(`${now().toISOString()}\n${text}\n`);
    last = text;
    if (aborted()) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
