/**
 * The Kubernetes writes a provision-and-release lifecycle cannot do without, step by step, as the
 * Machine workflow and its activities make them. The benchmark compares the writes it counts with these.
 */
export interface NecessaryWrite {
  step: string;
  resource: string;
  count: number;
  why: string;
}

export const NECESSARY_WRITES: NecessaryWrite[] = [
  {
    step: 'resolveMachine',
    resource: 'secrets',
    count: 1,
    why: 'create the snapshot Secret (the resolved settings, kept out of workflow history)',
  },
  {
    step: 'claimHost',
    resource: 'baremetalhosts',
    count: 1,
    why: 'update with the read resourceVersion: consumerRef and the record of the original',
  },
  { step: 'allocateAddress', resource: 'ipaddressallocations', count: 1, why: 'create the allocation' },
  {
    step: 'writeMachineData',
    resource: 'secrets',
    count: 3,
    why: 'create the user-data, network-data and meta-data Secrets BMO reads',
  },
  {
    step: 'configureHost',
    resource: 'baremetalhosts',
    count: 1,
    why: 'update: image, data Secret references, online and the lease annotations',
  },
  {
    step: 'releaseHost',
    resource: 'baremetalhosts',
    count: 1,
    why: 'update: image and references removed, online false',
  },
  {
    step: 'awaitAvailable',
    resource: 'baremetalhosts',
    count: 1,
    why: 'update once available: the original restored, consumerRef cleared',
  },
  { step: 'releaseAddress', resource: 'ipaddressallocations', count: 1, why: 'delete the allocation' },
  {
    step: 'deleteMachineData',
    resource: 'secrets',
    count: 1,
    why: "delete the three data Secrets and the snapshot: one collection delete by the Machine's labels",
  },
];

export const MINIMUM_WRITES = NECESSARY_WRITES.reduce((sum, w) => sum + w.count, 0);

/** Writes the product makes on purpose beyond the minimum, per lifecycle, by resource. */
export const DELIBERATE_EXTRA_WRITES: Record<string, { count: number; why: string }> = {
  events: { count: 4, why: 'an Event on the host at claim, configure, release and restore, for `kubectl describe`' },
};

export const GOALS = { writesFactor: 1.5, historyEvents: 60 };
