import { isDeepStrictEqual } from 'node:util';
import type { BareMetalHost, BmhImage } from '../../api/bareMetalHost.js';

/** Prefix of the spec's per-host network annotations (read by the DHCP server). */
export const NETWORK_ANNOTATION_PREFIX = 'metal3.vcluster.com/';

/** What configureHost puts on a host. Secret names only; the Secrets live in the host's namespace. */
export interface HostConfiguration {
  image: BmhImage;
  userData?: string;
  networkData?: string;
  metaData?: string;
  /** `metal3.vcluster.com/*` annotations: ip-address, gateway, dns-servers, ntp-servers; null removes one. */
  networkAnnotations?: Record<string, string | null>;
}

/**
 * The host with the image, the data Secrets and `online: true` set. customDeploy is removed so the
 * image is what gets deployed (it is in the original record and comes back on release). Returns
 * undefined when the host already looks like that, which keeps configureHost idempotent.
 */
export function configuredHost(host: BareMetalHost, config: HostConfiguration): BareMetalHost | undefined {
  const next = structuredClone(host);
  const namespace = host.metadata.namespace;
  next.spec.image = stripUndefined(config.image);
  for (const key of ['userData', 'networkData', 'metaData'] as const) {
    const name = config[key];
    if (name === undefined) Reflect.deleteProperty(next.spec, key);
    else next.spec[key] = namespace ? { name, namespace } : { name };
  }
  delete next.spec.customDeploy;
  next.spec.online = true;
  const configured = withAnnotations(next, config.networkAnnotations ?? {}) ?? next;
  return isDeepStrictEqual(configured, host) ? undefined : configured;
}

/** The host with its annotations changed (null removes one); undefined when they already read so. */
export function withAnnotations(
  host: BareMetalHost,
  changes: Record<string, string | null>,
): BareMetalHost | undefined {
  const current = host.metadata.annotations ?? {};
  const kept = Object.entries(current).filter(([key]) => !(key in changes));
  const written = Object.entries(changes).filter((entry): entry is [string, string] => entry[1] !== null);
  const next: Record<string, string> = Object.fromEntries([...kept, ...written]);
  const unchanged = Object.keys(changes).every((key) => current[key] === next[key]);
  return unchanged ? undefined : { ...host, metadata: { ...host.metadata, annotations: next } };
}

/**
 * The host handed back to BMO for deprovisioning: no image or data, powered off. BMO cleans it and
 * brings it back to `available`; only then is the original restored.
 */
export function releasedHost(host: BareMetalHost): BareMetalHost | undefined {
  const next = structuredClone(host);
  for (const field of ['image', 'customDeploy', 'userData', 'networkData', 'metaData'] as const) {
    Reflect.deleteProperty(next.spec, field);
  }
  next.spec.online = false;
  return isDeepStrictEqual(next, host) ? undefined : next;
}

/** A format BMO accepts, when the URL's extension says it unambiguously (`.img` does not). */
export function imageFormatFromUrl(url: string): BmhImage['format'] {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const match = /\.(qcow2|raw|vmdk|vdi)$/i.exec(path);
  return match?.[1]?.toLowerCase();
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
