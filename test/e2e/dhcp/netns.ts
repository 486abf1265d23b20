import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Runs a command and returns stdout; throws with stderr when it fails. */
export function run(command: string, args: string[], timeoutMs = 30_000): string {
  return execFileSync(command, args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a command inside a namespace; returns stdout, stderr and exit status without throwing. */
export function runIn(
  ns: string,
  args: string[],
  timeoutMs = 30_000,
): { stdout: string; stderr: string; status: number | null } {
  try {
    const stdout = execFileSync('ip', ['netns', 'exec', ns, ...args], {
      encoding: 'utf8',
      timeout: timeoutMs,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { stdout, stderr: '', status: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; status?: number | null };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', status: e.status ?? null };
  }
}

export function ipIn(ns: string, ...args: string[]): void {
  run('ip', ['-n', ns, ...args]);
}

/** Network namespaces created for one test file, all removed by `destroy()`. */
export class NamespaceLab {
  private readonly names: string[] = [];
  private readonly processes: ChildProcess[] = [];

  constructor(private readonly prefix: string) {}

  namespace(name: string): string {
    const full = `${this.prefix}-${name}`;
    run('ip', ['netns', 'add', full]);
    this.names.push(full);
    ipIn(full, 'link', 'set', 'lo', 'up');
    return full;
  }

  /** A veth pair between two namespaces, with optional addresses (CIDR) and MACs. */
  link(
    a: { ns: string; dev: string; cidr?: string; mac?: string },
    b: { ns: string; dev: string; cidr?: string; mac?: string },
  ): void {
    run('ip', [
      'link',
      'add',
      `${this.prefix.slice(0, 6)}tmp`,
      'type',
      'veth',
      'peer',
      'name',
      `${this.prefix.slice(0, 6)}tmq`,
    ]);
    run('ip', ['link', 'set', `${this.prefix.slice(0, 6)}tmp`, 'netns', a.ns, 'name', a.dev]);
    run('ip', ['link', 'set', `${this.prefix.slice(0, 6)}tmq`, 'netns', b.ns, 'name', b.dev]);
    for (const end of [a, b]) {
      if (end.mac) ipIn(end.ns, 'link', 'set', end.dev, 'address', end.mac);
      if (end.cidr) ipIn(end.ns, 'addr', 'add', end.cidr, 'dev', end.dev);
      ipIn(end.ns, 'link', 'set', end.dev, 'up');
    }
  }

  /** A long-running process inside a namespace, killed by `destroy()`. */
  spawnIn(ns: string, args: string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.processes.push(child);
    return child;
  }

  async destroy(): Promise<void> {
    for (const child of this.processes) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 3000))]);
        child.kill('SIGKILL');
      }
    }
    for (const name of this.names.reverse()) {
      try {
        run('ip', ['netns', 'pids', name])
          .split('\n')
          .filter(Boolean)
          .forEach((pid) => {
            process.kill(Number(pid), 'SIGKILL');
          });
        run('ip', ['netns', 'del', name]);
      } catch {
        // already gone
      }
    }
  }
}

/** Collects a child's stdout lines and resolves when one matches. */
export class LineWatcher {
  readonly lines: string[] = [];
  private waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  constructor(child: ChildProcess) {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        this.lines.push(line);
        this.waiters = this.waiters.filter((waiter) => {
          if (!waiter.test(line)) return true;
          waiter.resolve(line);
          return false;
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  }

  waitFor(test: (line: string) => boolean, timeoutMs = 20_000): Promise<string> {
    const found = this.lines.find(test);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no matching line within ${timeoutMs} ms; last lines:\n${this.lines.slice(-20).join('\n')}`));
      }, timeoutMs);
      this.waiters.push({
        test,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  }
}

/**
 * Asks for a lease with busybox udhcpc on `c0` inside `ns` (one DORA, no daemon) and returns the
 * variables its script saw on "bound", or undefined when no lease came. `tries` DISCOVERs, a second
 * apart; `extraArgs` add options such as `-V <vendor class>` or `-x <option>`.
 */
export function requestLease(
  ns: string,
  workDir: string,
  options: { extraArgs?: string[]; tries?: number; timeoutMs?: number } = {},
): Record<string, string> | undefined {
  const script = path.join(workDir, 'udhcpc-bound.sh');
  if (!existsSync(script))
    writeFileSync(script, '#!/bin/sh\n[ "$1" = bound ] && env > "$OUT"\nexit 0\n', { mode: 0o755 });
  const out = path.join(workDir, `udhcpc-${ns}.env`);
  rmSync(out, { force: true });
  const tries = String(options.tries ?? 3);
  const args = ['-i', 'c0', '-n', '-q', '-f', '-t', tries, '-T', '1', '-A', '1', '-s', script];
  runIn(
    ns,
    ['env', `OUT=${out}`, 'busybox', 'udhcpc', ...args, ...(options.extraArgs ?? [])],
    options.timeoutMs ?? 20_000,
  );
  if (!existsSync(out)) return undefined;
  return Object.fromEntries(
    readFileSync(out, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}
