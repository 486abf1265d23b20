import type { Logger } from 'pino';
import type { MachineClient } from '../client/machineClient.js';

/** How far back each look reaches: visibility lags a little, and clocks of worker and controller differ. */
const LOOKBACK_MS = 10_000;
const WORKFLOW_ID_PREFIX = 'machine/';

/**
 * Follows phase changes of every Machine with one visibility query per interval, whatever the
 * fleet size: Machines whose `MachinePhaseChangedAt` is newer than what was already queued get
 * their NodeClaim reconciled now, so a claim follows its Machine within seconds even when the
 * change came from elsewhere (`machine retry` from the CLI, a release from the Web UI). The
 * per-claim polls stay as the safety net for a Temporal without the attribute.
 */
export function followPhaseChanges(
  machines: MachineClient,
  enqueue: (claimKey: string) => void,
  options: {
    intervalMs: number;
    namespace?: string;
    /** A look that takes longer fails; the next one goes on. */ deadlineMs: number;
  },
  logger: Logger,
): () => Promise<void> {
  const queued = new Map<string, number>();
  const state: { stopped: boolean; wake: () => void } = { stopped: false, wake: () => undefined };
  let since = new Date(Date.now() - LOOKBACK_MS);

  const look = async () => {
    const started = Date.now();
    const changes = await machines.withCallDeadline(options.deadlineMs, () => machines.listPhaseChanges(since));
    for (const change of changes) {
      const changedAt = change.changedAt.getTime();
      if (queued.get(change.workflowId) === changedAt) continue;
      queued.set(change.workflowId, changedAt);
      if (!change.workflowId.startsWith(WORKFLOW_ID_PREFIX)) continue;
      const key = change.workflowId.slice(WORKFLOW_ID_PREFIX.length);
      if (options.namespace === undefined || key.startsWith(`${options.namespace}/`)) enqueue(key);
    }
    since = new Date(started - LOOKBACK_MS);
    // A change older than the next look's reach cannot come back; forget it.
    for (const [id, at] of queued) if (at < since.getTime()) queued.delete(id);
  };

  const running = (async () => {
    while (!state.stopped) {
      try {
        await look();
      } catch (err) {
        logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'looking for Machine phase changes failed',
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs);
        state.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();

  return async () => {
    state.stopped = true;
    state.wake();
    await running;
  };
}
