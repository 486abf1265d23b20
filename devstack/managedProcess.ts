import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** A long-running child of the devstack: its output goes to a log file, and it can be stopped for sure. */
export class ManagedProcess {
  private exited = false;
  private child: ChildProcess;
  private exit: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    readonly logFile: string,
    private readonly env: NodeJS.ProcessEnv | undefined,
  ) {
    [this.child, this.exit] = this.spawn('w');
  }

  static start(
    name: string,
    command: string,
    args: string[],
    logFile: string,
    env?: NodeJS.ProcessEnv,
  ): ManagedProcess {
    return new ManagedProcess(name, command, args, logFile, env);
  }

  private spawn(flags: 'w' | 'a'): [ChildProcess, Promise<void>] {
    const log = createWriteStream(this.logFile, { flags });
    const child = spawn(this.command, this.args, { stdio: ['ignore', 'pipe', 'pipe'], env: this.env ?? process.env });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.exited = false;
    const exit = new Promise<void>((resolve) => {
      child.on('exit', () => {
        this.exited = true;
        resolve();
      });
    });
    return [child, exit];
  }

  /** Kills the process at once, as a crash or an OOM kill would. */
  async kill(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGKILL');
    await this.exit;
  }

  /** Starts the same command again after it exited, appending to the same log (crash-and-restart tests). */
  restart(): void {
    if (!this.exited) throw new Error(`${this.name} is still running; stop or kill it before restarting`);
    [this.child, this.exit] = this.spawn('a');
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Polls `probe` until it returns true; fails early with the log's tail if the process dies. */
  async waitUntilReady(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`${this.name} exited during start-up:\n${await this.logTail()}`);
      if (await probe().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} was not ready after ${timeoutMs / 1000}s:\n${await this.logTail()}`);
  }

  /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  async logTail(lines = 20): Promise<string> {
    const text = await readFile(this.logFile, 'utf8').catch(() => '');
    return text.trim().split('\n').slice(-lines).join('\n');
  }
}
