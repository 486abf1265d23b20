import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';

/** Two ways measured `rounds` times each, one after the other, the one going first alternating from round to round. */
export async function interleavedRounds<W extends string, T = number>(
  ways: readonly [W, W],
  rounds: number,
  measure: (way: W) => T | Promise<T>,
): Promise<Record<W, T[]>> {
  const [a, b] = ways;
  const figures = { [a]: [], [b]: [] } as unknown as Record<W, T[]>;
  for (let round = 0; round < rounds; round++) {
    for (const way of round % 2 === 0 ? [a, b] : [b, a]) figures[way].push(await measure(way));
  }
  return figures;
}

/** The machine as results name it, with its load when the benchmark started. */
export function machineDescription(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const gib = (totalmem() / 2 ** 30).toFixed(1);
  return `${cpus().length} CPUs (${cpu}), ${gib} GiB, Node ${process.version}, load average at start ${loadavg()[0]?.toFixed(1) ?? '?'}`;
}

/** Writes a results file, making its folder first. */
export async function writeResults(out: string, lines: readonly string[]): Promise<void> {
  const file = resolve(out);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, lines.join('\n'));
}
