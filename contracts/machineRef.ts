import { z } from 'zod';

/**
 * The Machine (a NodeClaim) an operation acts for: names only, since it travels through workflow
 * history and is stored on address allocations. `uid` tells two Machines of the same name apart.
 */
export const MachineRef = z.object({ namespace: z.string(), name: z.string(), uid: z.string().optional() });
export type MachineRef = z.infer<typeof MachineRef>;
