import { z } from 'zod';
import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { consumerRefFor } from './consumerRef.js';
import type { MachineRef } from '../../contracts/machineRef.js';

/**
 * The record of what a host looked like before we claimed it: one annotation whose JSON value holds
 * the original labels, annotations and every spec field the provider may change. It is written in
 * the same resourceVersion-guarded update that sets consumerRef, so a claimed host always carries
 * it, and release restores exactly what it says.
 */
export const ORIGINAL_ANNOTATION = 'metal3-provider.io/original';

export const RECORDED_SPEC_FIELDS = [
  'image',
  'userData',
  'networkData',
  'metaData',
  'online',
  'consumerRef',
  'customDeploy',
  'automatedCleaningMode',
] as const;

const OriginalRecord = z.strictObject({
  /** Absent maps stay absent on restore; `{}` and absent are the same to the API server. */
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  /** Only fields that were set; a field missing here is removed on restore. */
  spec: z.record(z.string(), z.unknown()),
});
type OriginalRecord = z.infer<typeof OriginalRecord>;

function recordOf(host: BareMetalHost): OriginalRecord {
  const spec: Record<string, unknown> = {};
  for (const field of RECORDED_SPEC_FIELDS) {
    if (host.spec[field] !== undefined) spec[field] = structuredClone(host.spec[field]);
  }
  const { labels, annotations } = host.metadata;
  return {
    labels: labels && Object.keys(labels).length > 0 ? { ...labels } : undefined,
    annotations: annotations && Object.keys(annotations).length > 0 ? { ...annotations } : undefined,
    spec,
  };
}

/** The host as the claim writes it: consumerRef set to the Machine and the record of the original. */
export function claimedHost(host: BareMetalHost, machine: MachineRef): BareMetalHost {
  const next = structuredClone(host);
  next.metadata.annotations = { ...host.metadata.annotations, [ORIGINAL_ANNOTATION]: JSON.stringify(recordOf(host)) };
  next.spec.consumerRef = consumerRefFor(machine);
  return next;
}

/** The recorded original, or undefined when the host carries no (readable) record. */
export function readOriginal(host: BareMetalHost): OriginalRecord | undefined {
  const raw = host.metadata.annotations?.[ORIGINAL_ANNOTATION];
  if (raw === undefined) return undefined;
  try {
    return OriginalRecord.parse(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

/**
 * The host with every recorded value put back and the record removed. Without a record only the
 * consumerRef is cleared, since a claim only ever takes unconsumed hosts.
 */
export function restoredHost(host: BareMetalHost): BareMetalHost {
  const next = structuredClone(host);
  const record = readOriginal(host);
  if (!record) {
    delete next.spec.consumerRef;
    if (next.metadata.annotations) Reflect.deleteProperty(next.metadata.annotations, ORIGINAL_ANNOTATION);
    return next;
  }
  setOrDelete(next.metadata, 'labels', record.labels);
  setOrDelete(next.metadata, 'annotations', record.annotations);
  for (const field of RECORDED_SPEC_FIELDS) {
    setOrDelete(next.spec, field, record.spec[field]);
  }
  return next;
}

function setOrDelete(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) Reflect.deleteProperty(target, key);
  else target[key] = structuredClone(value);
}
