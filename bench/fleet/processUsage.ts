import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  cpuSeconds: number;
}

async function procStat(pid: number): Promise<ProcStat | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  // The command name is in parentheses and may hold spaces; the fields after it are fixed.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [ppid, utime, stime] = [fields[1], fields[11], fields[12]].map(Number);
  return { pid, ppid: ppid ?? 0, cpuSeconds: ((utime ?? 0) + (stime ?? 0)) / TICKS_PER_SECOND };
}

/** CPU seconds (user + system) of a process and every live descendant (PostgreSQL forks a backend per connection). */
export async function treeCpuSeconds(root: number): Promise<number> {
  const stats = (
    await Promise.all((await readdir('/proc')).filter((d) => /^\d+$/.test(d)).map((d) => procStat(Number(d))))
  ).filter((s): s is ProcStat => s !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  let total = 0;
  const queue = stats.filter((s) => s.pid === root);
  for (let stat = queue.shift(); stat; stat = queue.shift()) {
    total += stat.cpuSeconds;
    queue.push(...(children.get(stat.pid) ?? []));
  }
  return total;
}

/** Resident memory now (VmRSS) and its high-water mark (VmHWM), in MiB; 0 once the process is gone. */
export async function residentMemory(pid: number): Promise<{ rssMiB: number; hwmMiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kiB = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMiB: kiB('VmRSS') / 1024, hwmMiB: kiB('VmHWM') / 1024 };
}

/** CPU seconds the whole machine spent busy (everything but idle and iowait), from /proc/stat. */
export async function machineBusySeconds(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const ticks = line.split(/\s+/).slice(1).map(Number);
  const [idle = 0, iowait = 0] = [ticks[3], ticks[4]];
  return (ticks.slice(0, 8).reduce((a, b) => a + b, 0) - idle - iowait) / TICKS_PER_SECOND;
}
