import type { V1OwnerReference, V1Secret } from '@kubernetes/client-node';
import { BMH_API_VERSION, type BareMetalHost } from '../api/bareMetalHost.js';

/** BMO's finalizer on every host it manages: deletion waits until the host is cleaned up. */
export const HOST_FINALIZER = 'baremetalhost.metal3.io';
/** BMO's finalizer on a BMC Secret in use, removed when its host is deleted. */
export const SECRET_FINALIZER = 'baremetalhost.metal3.io/secret';
/** BMO labels the Secrets it uses so that its cache (a label-selected watch) holds them. */
export const SECRET_ENVIRONMENT_LABEL = 'environment.metal3.io';
export const SECRET_ENVIRONMENT_VALUE = 'baremetal';

const invalid = 'Validation error with BMC credentials: ';

/** Why a host's BMC credentials cannot be used, as BMO words it; `retry`: BMO looks again every 10 s. */
export interface CredentialsProblem {
  message: string;
  retry: boolean;
}

/**
 * Checks a host's BMC details and Secret the way BMO does before every reconcile past registration:
 * the Secret must exist (BMO retries until it does) and hold a username and a password.
 */
export function credentialsProblem(host: BareMetalHost, secret: V1Secret | undefined): CredentialsProblem | undefined {
  const name = host.spec.bmc?.credentialsName ?? '';
  if (name === '') return { message: 'No BMC CredentialsName defined The BMC secret reference is empty', retry: false };
  if (!secret) {
    const key = `${host.metadata.namespace ?? ''}/${name}`;
    return { message: `BMC CredentialsName secret doesn't exist The BMC secret ${key} does not exist`, retry: true };
  }
  if (!host.spec.bmc?.address) {
    return { message: "Empty BMC address Missing BMC connection detail 'Address'", retry: false };
  }
  const value = (key: string) =>
    Buffer.from(secret.data?.[key] ?? '', 'base64')
      .toString('utf8')
      .trim();
  if (value('username') === '') {
    return { message: `${invalid}Missing BMC connection detail 'username' in credentials`, retry: false };
  }
  if (value('password') === '') {
    return { message: `${invalid}Missing BMC connection details 'password' in credentials`, retry: false };
  }
  return undefined;
}

/**
 * The Secret as BMO leaves it once it uses it for `host`: the environment label, an owner
 * reference to the host (not a controller reference) and, unless the host is being deleted, the
 * Secret finalizer. Undefined when the Secret has all of them already.
 */
export function claimedSecret(secret: V1Secret, host: BareMetalHost, addFinalizer: boolean): V1Secret | undefined {
  const metadata = secret.metadata ?? {};
  const uid = host.metadata.uid ?? '';
  const labelled = metadata.labels?.[SECRET_ENVIRONMENT_LABEL] !== undefined;
  const owned = (metadata.ownerReferences ?? []).some((ref) => ref.uid === uid && ref.controller === undefined);
  const finalized = !addFinalizer || (metadata.finalizers ?? []).includes(SECRET_FINALIZER);
  if (labelled && owned && finalized) return undefined;
  const owner: V1OwnerReference = { apiVersion: BMH_API_VERSION, kind: 'BareMetalHost', name: host.metadata.name, uid };
  // A plain copy: the client's models are classes, and what goes back to the API server is JSON.
  const claimed = structuredClone(secret);
  const meta = (claimed.metadata ??= {});
  if (!labelled) meta.labels = { ...meta.labels, [SECRET_ENVIRONMENT_LABEL]: SECRET_ENVIRONMENT_VALUE };
  if (!owned) meta.ownerReferences = [...(meta.ownerReferences ?? []).filter((ref) => ref.uid !== uid), owner];
  if (!finalized) meta.finalizers = [...(meta.finalizers ?? []), SECRET_FINALIZER];
  return claimed;
}

/** The Secret without BMO's finalizer, or undefined when it has none. */
export function releasedSecret(secret: V1Secret): V1Secret | undefined {
  const finalizers = secret.metadata?.finalizers ?? [];
  if (!finalizers.includes(SECRET_FINALIZER)) return undefined;
  const released = structuredClone(secret);
  (released.metadata ??= {}).finalizers = finalizers.filter((f) => f !== SECRET_FINALIZER);
  return released;
}

/** BMO's record of the credentials it tried and those that worked: the Secret and its version. */
export function credentialsStatus(secret: V1Secret): {
  credentials: { name: string; namespace: string };
  credentialsVersion: string;
} {
  return {
    credentials: { name: secret.metadata?.name ?? '', namespace: secret.metadata?.namespace ?? '' },
    credentialsVersion: secret.metadata?.resourceVersion ?? '',
  };
}
