/**
 * A work queue keyed by `namespace/name`, in the manner of client-go's: a key is queued at most
 * once, never handled by two workers at the same time (a key added while it is being handled is
 * handled again afterwards), can be scheduled for later, and backs off exponentially while its
 * handler keeps failing.
 */

export interface WorkOutcome {
  /** Handle the key again after this long (the handler succeeded; resets the backoff). */
  requeueAfterMs?: number;
  /** The handler failed in a way worth retrying: requeue after the key's next backoff delay. */
  backoff?: boolean;
}

export interface WorkQueueOptions {
  concurrency: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_WORK_QUEUE_OPTIONS: WorkQueueOptions = { concurrency: 4, baseDelayMs: 500, maxDelayMs: 60_000 };

/** The delay after the `failures`-th failure in a row: doubling from `baseDelayMs`, at most `maxDelayMs`. */
export function backoffDelayMs(
  failures: number,
  options: Pick<WorkQueueOptions, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  return Math.min(options.baseDelayMs * 2 ** Math.max(failures - 1, 0), options.maxDelayMs);
}

export class WorkQueue {
  private readonly pending: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  /** Keys added while being handled: handled once more when the current run ends. */
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly handler: (key: string) => Promise<WorkOutcome>,
    private readonly options: WorkQueueOptions = DEFAULT_WORK_QUEUE_OPTIONS,
  ) {}

  /** Keys waiting, scheduled or being handled. */
  get size(): number {
    return new Set([...this.pending, ...this.active, ...this.timers.keys()]).size;
  }

  add(key: string): void {
    if (this.stopped) return;
    this.clearTimer(key);
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.pending.push(key);
    this.pump();
  }

  /** Adds the key after `delayMs`; an earlier schedule for the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    this.timers.set(key, { at, timer });
  }

  /** Stops taking work, drops what waits, and resolves once the handlers running now have finished. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.pending.length = 0;
    this.queued.clear();
    this.dirty.clear();
    if (this.active.size === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private clearTimer(key: string): void {
    const existing = this.timers.get(key);
    if (!existing) return;
    clearTimeout(existing.timer);
    this.timers.delete(key);
  }

  private pump(): void {
    while (!this.stopped && this.active.size < this.options.concurrency) {
      const index = this.pending.findIndex((key) => !this.active.has(key));
      if (index < 0) return;
      const [key] = this.pending.splice(index, 1);
      if (key === undefined) return;
      this.queued.delete(key);
      this.active.add(key);
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    let outcome: WorkOutcome;
    try {
      outcome = await this.handler(key);
    } catch {
      // The handler reports its own errors; one that escapes is retried like any other failure.
      outcome = { backoff: true };
    }
    this.active.delete(key);
    if (outcome.backoff) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      this.addAfter(key, backoffDelayMs(failures, this.options));
    } else {
      this.failures.delete(key);
      if (outcome.requeueAfterMs !== undefined) this.addAfter(key, outcome.requeueAfterMs);
    }
    if (this.dirty.delete(key)) this.add(key);
    if (this.stopped && this.active.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    this.pump();
  }
}
