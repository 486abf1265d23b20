import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { compareQuantities, parseQuantity, quantityFromInteger, type Quantity } from '../../api/quantity.js';
import type { Resources } from '../../api/resources.js';

/**
 * Does a host's inventory cover a node type's `resources`? `cpu` is compared with
 * `status.hardware.cpu.count`, `memory` with `ramMebibytes`, `ephemeral-storage` with the sum of
 * the disks' `sizeBytes`. Inspection reports no GPUs or other extended resources, so a host
 * declares them itself, as a whole number under the key
 * `capacity.metal3-provider.io/<resource name with "/" written as "_">`, on an annotation or a label,
 * e.g. `capacity.metal3-provider.io/nvidia.com_gpu: "4"` (the annotation wins when both are set).
 */
export const CAPACITY_KEY_PREFIX = 'capacity.metal3-provider.io/';

export function capacityKey(resource: string): string {
  return `${CAPACITY_KEY_PREFIX}${resource.replaceAll('/', '_')}`;
}

/**
 * A claim weighs every host of the namespace against its node type's request, and so did every claim of
 * that node type before it: the verdict is kept per version of a host (the host cache hands out one object
 * per version, and nothing writes to those objects) and per request, by its text.
 */
const verdicts = new WeakMap<BareMetalHost, Map<string, Shortfall | null>>();
const sizes = new WeakMap<BareMetalHost, [number, number, number]>();
/** A request's text and quantities, worked out once for all the hosts it is weighed against. */
const requests = new WeakMap<Resources, { key: string; wanted: [string, Quantity, string][] }>();

/** What the host offers of `resource`; missing inventory counts as zero. */
function hostCapacity(host: BareMetalHost, resource: string): Quantity {
  const hardware = host.status?.hardware;
  switch (resource) {
    case 'cpu':
      return quantityFromInteger(hardware?.cpu?.count ?? 0);
    case 'memory':
      return quantityFromInteger(BigInt(hardware?.ramMebibytes ?? 0) * 2n ** 20n);
    case 'ephemeral-storage':
      return quantityFromInteger(
        (hardware?.storage ?? []).reduce((sum, disk) => sum + BigInt(disk.sizeBytes ?? 0), 0n),
      );
    default: {
      const key = capacityKey(resource);
      const declared = host.metadata.annotations?.[key] ?? host.metadata.labels?.[key];
      return declared !== undefined && /^\d+$/.test(declared)
        ? quantityFromInteger(BigInt(declared))
        : quantityFromInteger(0);
    }
  }
}

export interface Shortfall {
  resource: string;
  requested: string;
  available: string;
}

/** The first requested resource the host lacks, or undefined when it fits. */
export function resourceShortfall(host: BareMetalHost, requested: Resources | undefined): Shortfall | undefined {
  if (!requested) return undefined;
  let request = requests.get(requested);
  if (!request) {
    const entries = Object.entries(requested);
    request = {
      key: JSON.stringify(entries),
      wanted: entries.map(([resource, value]) => [resource, parseQuantity(value), String(value)]),
    };
    requests.set(requested, request);
  }
  let known = verdicts.get(host);
  if (!known) verdicts.set(host, (known = new Map<string, Shortfall | null>()));
  let verdict = known.get(request.key);
  if (verdict === undefined) known.set(request.key, (verdict = shortfallOf(host, request.wanted) ?? null));
  return verdict ?? undefined;
}

function shortfallOf(host: BareMetalHost, wanted: [string, Quantity, string][]): Shortfall | undefined {
  for (const [resource, quantity, text] of wanted) {
    const have = hostCapacity(host, resource);
    if (compareQuantities(have, quantity) < 0) {
      return { resource, requested: text, available: formatQuantity(resource, have) };
    }
  }
  return undefined;
}

/**
 * Size key for "smallest that fits": hosts with fewer extended resources (GPUs) first, so they are
 * not spent on Machines that do not need them, then fewer CPUs, then less memory.
 */
export function hostSize(host: BareMetalHost): [number, number, number] {
  let size = sizes.get(host);
  if (!size) sizes.set(host, (size = sizeOf(host)));
  return size;
}

function sizeOf(host: BareMetalHost): [number, number, number] {
  const extended = Object.entries({ ...host.metadata.labels, ...host.metadata.annotations })
    .filter(([key, value]) => key.startsWith(CAPACITY_KEY_PREFIX) && /^\d+$/.test(value))
    .reduce((sum, [, value]) => sum + Number(value), 0);
  const hardware = host.status?.hardware;
  return [extended, hardware?.cpu?.count ?? 0, hardware?.ramMebibytes ?? 0];
}

function formatQuantity(resource: string, q: Quantity): string {
  if (resource === 'memory') return `${q.numerator / 2n ** 20n}Mi`;
  return String(q.numerator / q.denominator);
}
