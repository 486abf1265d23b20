/**
 * The rows of a table kubectl prints (`kubectl get`), keyed by column header. Columns are cut at the
 * header's positions, so that empty cells (a host without a consumer) stay empty.
 */
export function kubectlTable(output: string): Record<string, string>[] {
  const [header = '', ...rows] = output.split('\n').filter((line) => line.trim() !== '');
  const columns = [...header.matchAll(/\S+(?: \S+)*/g)].map((match) => ({ name: match[0], start: match.index }));
  return rows.map((row) =>
    Object.fromEntries(
      columns.map(({ name, start }, i) => [name, row.slice(start, columns[i + 1]?.start ?? row.length).trim()]),
    ),
  );
}

/** The row whose NAME is `name`; fails with the whole table when there is none. */
export function tableRow(output: string, name: string): Record<string, string> {
  const row = kubectlTable(output).find((r) => r.NAME === name);
  if (!row) throw new Error(`no row ${name} in:\n${output}`);
  return row;
}
