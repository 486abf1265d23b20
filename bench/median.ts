/** The median of `values`, the mean of the middle two for an even count; undefined for none. */
export function median(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** "median (best lowest)", as results tables give a figure measured over several rounds. */
export function medianAndBest(values: readonly number[], digits: number): string {
  return `${(median(values) ?? Number.NaN).toFixed(digits)} (best ${Math.min(...values).toFixed(digits)})`;
}
