import type { MachineData } from './machineData.js';
import type { MachineRenderInput } from './renderSpec.js';
import type { RenderLimits } from './renderLimits.js';
import { RenderPool } from './renderPool.js';

/**
 * The process's render pool: one per worker process, so that the pool's bound holds for every
 * activity that renders. Started on first use, with the limits the worker was configured with.
 */
let pool: RenderPool | undefined;
let configured: Partial<RenderLimits> = {};

/** Sets the limits of the process's pool (the provisioning worker's flags); a running pool is replaced. */
export function configureRenderPool(limits: Partial<RenderLimits>): void {
  configured = limits;
  const running = pool;
  pool = undefined;
  void running?.close();
}

export function sharedRenderPool(): RenderPool {
  pool ??= new RenderPool(configured);
  return pool;
}

/** renderMachineData in the process's pool. */
export function renderInPool(input: MachineRenderInput): Promise<MachineData> {
  return sharedRenderPool().render(input);
}

/** Stops the process's pool (at shutdown); the next use starts a new one. */
export async function closeRenderPool(): Promise<void> {
  const running = pool;
  pool = undefined;
  await running?.close();
}
