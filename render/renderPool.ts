import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RenderLimitError, type RenderLimit } from './errors.js';
import type { MachineData } from './machineData.js';
import type { MachineRenderInput } from './renderSpec.js';
import { DEFAULT_RENDER_LIMITS, type DocumentSource, type RenderLimits } from './renderLimits.js';
import { POSITION_SLOTS, deserializeError, type RenderRequest, type ThreadMessage } from './renderProtocol.js';
import { templatePosition } from '../packages/go-template/src/index.js';

/** The template text a template property's document is rendered from (see buildRenderSpec). */
function templateText(input: MachineRenderInput, property: string): string | undefined {
  return [input.userData, input.networkData].find((document) => document?.property === property)?.text;
}

/** The window for a rendering's work before its first template starts. */
const PRELUDE_MS = 5_000;

interface Job {
  readonly input: MachineRenderInput;
  readonly resolve: (data: MachineData) => void;
  readonly reject: (error: Error) => void;
  id?: number;
  /** The document the thread said it is rendering. */
  source?: DocumentSource;
}

interface Slot {
  readonly worker: Worker;
  readonly position: Int32Array;
  ready: boolean;
  job?: Job | undefined;
  timer?: NodeJS.Timeout | undefined;
  /** Set when the thread ran out of memory; its exit then fails the job with the memory limit. */
  outOfMemory?: boolean;
  /** The error that stopped the thread before it was ready (it could not load). */
  startError?: Error;
}

/**
 * The render thread's entry: compiled JavaScript beside this module (production, `dist/`), else the
 * TypeScript source loaded through tsx (the CLI through bin/metal3-provider.js, and tests). A worker
 * thread inherits neither the loader a process registered through tsx's API nor, on Node 20, one
 * given as `--import` in its execArgv, so the thread registers tsx itself before importing the entry.
 */
function threadEntry(): { entry: URL | string; eval?: true } {
  const compiled = new URL('./renderThread.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { entry: compiled };
  const source = new URL('./renderThread.ts', import.meta.url).href;
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
  return { entry: code, eval: true };
}

/**
 * Renders Machine data (renderMachineData) in a bounded pool of worker threads, away from the
 * event loop that runs activities and heartbeats. Each rendering has a deadline per document
 * (checked inside the thread at the template's position; past a grace period the thread is
 * terminated), a heap limit (resourceLimits: a thread that runs out of memory dies alone), the
 * step budget and the output limit. Every limit fails with a RenderLimitError; a terminated or
 * crashed thread is replaced. Requests beyond the pool's size wait in arrival order.
 */
export class RenderPool {
  readonly limits: RenderLimits;
  private readonly graceMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Threads replaced after a deadline, running out of memory or crashing. */
  replacedThreads = 0;

  /**
   * `graceMs`: how long past the deadline a thread that has not stopped by itself is left before it
   * is terminated (default half the deadline, at least 500 ms).
   */
  constructor(options: Partial<RenderLimits> & { graceMs?: number } = {}) {
    const { graceMs, ...limits } = options;
    this.limits = { ...DEFAULT_RENDER_LIMITS, ...limits };
    this.graceMs = graceMs ?? Math.max(500, this.limits.timeoutMs / 2);
    if (!(this.limits.threads >= 1)) throw new RangeError('a render pool needs at least one thread');
  }

  /** A Machine's data, rendered in a thread. Rejects with MachineDataError (RenderLimitError at a limit). */
  render(input: MachineRenderInput): Promise<MachineData> {
    if (this.closed) return Promise.reject(new Error('the render pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every thread; waiting requests fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the render pool is closed'));
    await Promise.all(this.slots.map((slot) => this.stop(slot).terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const slot = this.slots.find((s) => s.ready && s.job === undefined);
      if (slot === undefined) {
        if (this.slots.length < this.limits.threads) this.start();
        return;
      }
      const job = this.queue.shift() as Job;
      job.id = this.nextId++;
      slot.job = job;
      slot.worker.ref();
      // Until the first template starts, the thread only builds the values (no template code runs):
      // a wider window, so that a loaded machine is not mistaken for a runaway template.
      this.arm(slot, Math.max(this.limits.timeoutMs + this.graceMs, PRELUDE_MS));
      const { timeoutMs, maxSteps, maxOutputBytes } = this.limits;
      const request: RenderRequest = { id: job.id, input: job.input, timeoutMs, maxSteps, maxOutputBytes };
      slot.worker.postMessage(request);
    }
  }

  private start(): void {
    const { entry, eval: evaluate } = threadEntry();
    const shared = new SharedArrayBuffer(POSITION_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const worker = new Worker(entry, {
      workerData: { position: shared },
      ...(evaluate && { eval: true }),
      resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb },
    });
    const slot: Slot = { worker, position: new Int32Array(shared), ready: false };
    this.slots.push(slot);
    worker.on('message', (message: ThreadMessage) => {
      this.onMessage(slot, message);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') slot.outOfMemory = true;
      else if (!slot.ready) slot.startError = error;
    });
    worker.on('exit', () => {
      this.onExit(slot);
    });
  }

  private onMessage(slot: Slot, message: ThreadMessage): void {
    if (message.type === 'ready') {
      slot.ready = true;
      slot.worker.unref();
      this.dispatch();
      return;
    }
    const job = slot.job;
    if (job === undefined || job.id !== message.id) return;
    switch (message.type) {
      case 'document':
        job.source = message.source;
        this.arm(slot);
        return;
      case 'done':
        this.finish(slot);
        job.resolve(message.data);
        return;
      case 'failed':
        this.finish(slot);
        job.reject(deserializeError(message.error));
        return;
    }
  }

  /**
   * (Re)starts the job's hard deadline: the thread checks the same deadline itself between steps,
   * so this fires only when one step (a costly function call) outlasts the deadline and a grace.
   */
  private arm(slot: Slot, windowMs = this.limits.timeoutMs + this.graceMs): void {
    clearTimeout(slot.timer);
    const { timeoutMs } = this.limits;
    slot.timer = setTimeout(() => {
      const job = slot.job;
      this.stop(slot)
        .terminate()
        .catch(() => undefined);
      this.replacedThreads++;
      if (job) job.reject(this.limitError(job, slot, 'deadline', `exceeded the time limit of ${timeoutMs} ms`));
    }, windowMs);
  }

  private finish(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
    slot.worker.unref();
    this.dispatch();
  }

  /** Takes the slot out of the pool (its job, if any, is the caller's to fail); returns its thread. */
  private stop(slot: Slot): Worker {
    clearTimeout(slot.timer);
    slot.job = undefined;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    return slot.worker;
  }

  private onExit(slot: Slot): void {
    // A job still on the slot was interrupted by this exit; one failed at its deadline is off it already.
    const job = slot.job;
    const inPool = this.slots.includes(slot);
    this.stop(slot);
    if (this.closed) return;
    if (inPool && slot.ready) this.replacedThreads++;
    if (job) {
      job.reject(
        slot.outOfMemory
          ? this.limitError(job, slot, 'memory', `exceeded the memory limit of ${this.limits.memoryMb} MiB`)
          : new Error('rendering the Machine data failed: the render thread stopped unexpectedly'),
      );
    } else if (!slot.ready) {
      // A thread that cannot even load would be restarted forever: fail what waits instead.
      const reason = slot.startError?.message ?? 'it exited';
      for (const waiting of this.queue.splice(0)) {
        waiting.reject(new Error(`rendering the Machine data failed: the render thread did not start: ${reason}`));
      }
    }
    this.dispatch();
  }

  /** `SOURCE at NAME:LINE:COL: REASON`, the position being that of the last step the thread took. */
  private limitError(job: Job, slot: Slot, limit: RenderLimit, reason: string): RenderLimitError {
    const source = job.source;
    if (source === undefined) return new RenderLimitError(undefined, limit, `rendering the Machine data ${reason}`);
    const offset = Atomics.load(slot.position, 0) - 1;
    const text = templateText(job.input, source.property);
    let at = '';
    if (offset >= 0 && text !== undefined) {
      const { name, line, col } = templatePosition(source.templateName, text, offset);
      at = ` at ${name}:${line}:${col ?? 0}`;
    }
    return new RenderLimitError(source.property, limit, `${source.description}${at}: ${reason}`);
  }
}
