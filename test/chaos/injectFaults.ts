import { SIM_ANNOTATION_PREFIX } from '../../sim/settings.js';
import { CHAOS_NAMESPACE, type ChaosStack } from './chaosStack.js';
import { annotateHost } from '../support/annotateHost.js';
import type { SeededRandom } from '../support/seededRandom.js';

export const FAULT_KINDS = [
  'worker-killed',
  'temporal-restarted',
  'apiserver-cut',
  'api-errors',
  'provisioning-failure',
  'provisioning-hang',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Injects one fault at a time, chosen and timed by the seeded random source, until `until()` says
 * stop; returns how many of each kind it injected. Every fault ends healed: killed processes are
 * restarted, cuts and error windows close, hangs are lifted.
 */
export async function injectFaults(
  stack: ChaosStack,
  random: SeededRandom,
  options: { gapMs: [number, number]; until: () => boolean; log: (line: string) => void },
): Promise<Record<FaultKind, number>> {
  const counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  const annotate = (name: string, annotations: Record<string, string | null>): Promise<void> =>
    annotateHost(stack.kubeConfig, CHAOS_NAMESPACE, name, annotations);
  // Each kind in turn first, so even a short run injects every kind; then at random.
  const order = [...FAULT_KINDS];
  while (!options.until()) {
    await sleep(random.int(...options.gapMs));
    if (options.until()) break;
    const kind = order.shift() ?? random.pick(FAULT_KINDS);
    options.log(`fault: ${kind} (${stack.proxy.counts().writes} API writes so far)`);
    switch (kind) {
      case 'worker-killed': {
        const worker = random.pick(stack.workers);
        await worker.kill();
        await sleep(random.int(500, 3000));
        worker.restart();
        break;
      }
      case 'temporal-restarted': {
        // SIGKILL: the dev server comes back on its SQLite file as after a crash.
        await stack.temporal.kill();
        await sleep(random.int(500, 2000));
        stack.temporal.restart();
        break;
      }
      case 'apiserver-cut':
        await stack.proxy.cut(random.int(1000, 5000));
        break;
      case 'api-errors': {
        // Until a few writes were hit (or a while passed): writes come in bursts, and a window
        // without any would inject nothing.
        const before = stack.proxy.counts();
        stack.proxy.injectFaults({ rate: 0.3, statuses: [409, 429, 500], seed: random.int(1, 2 ** 31) });
        const windowEnd = Date.now() + 30_000;
        await sleep(random.int(2000, 6000));
        while (stack.proxy.counts().injected - before.injected < 3 && Date.now() < windowEnd) await sleep(250);
        stack.proxy.injectFaults({ rate: 0, statuses: [], seed: 0 });
        const after = stack.proxy.counts();
        options.log(
          `  ${after.injected - before.injected} of ${after.writes - before.writes} writes answered with an error`,
        );
        break;
      }
      case 'provisioning-failure':
        await annotate(random.pick(stack.hostNames), { [`${SIM_ANNOTATION_PREFIX}fail-provisioning`]: '1' });
        break;
      case 'provisioning-hang': {
        const name = random.pick(stack.hostNames);
        await annotate(name, { [`${SIM_ANNOTATION_PREFIX}hang`]: 'provisioning' });
        await sleep(random.int(2000, 8000));
        await annotate(name, { [`${SIM_ANNOTATION_PREFIX}hang`]: null });
        break;
      }
    }
    counts[kind]++;
  }
  return counts;
}
