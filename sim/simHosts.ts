import type { KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { BMH_API_VERSION, type BareMetalHost } from '../api/bareMetalHost.js';
import { classifyApiError } from '../k8s/apiErrors.js';
import { createBareMetalHostApi } from '../k8s/bareMetalHosts.js';
import { createSecretApi } from '../k8s/secrets.js';

export interface SimHostsOptions {
  count: number;
  /** Host names are `<prefix>-001`, `<prefix>-002`, … */
  prefix?: string;
  labels?: Record<string, string>;
  /** Extra annotations, e.g. `sim.metal3-provider/*` settings. */
  annotations?: Record<string, string>;
}

/** The BareMetalHost the simulator registers for index `i` (1-based): a Redfish BMC and a unique boot MAC. */
export function simHost(namespace: string, index: number, options: SimHostsOptions): BareMetalHost {
  const name = `${options.prefix ?? 'sim-host'}-${String(index).padStart(3, '0')}`;
  const mac = ['02', '00', '00', (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff]
    .map((b) => (typeof b === 'number' ? b.toString(16).padStart(2, '0') : b))
    .join(':');
  return {
    apiVersion: BMH_API_VERSION,
    kind: 'BareMetalHost',
    metadata: { name, namespace, labels: { ...options.labels }, annotations: { ...options.annotations } },
    spec: {
      bmc: { address: `redfish+http://bmc.sim.invalid/redfish/v1/Systems/${name}`, credentialsName: `${name}-bmc` },
      bootMACAddress: mac,
      online: false,
    },
  };
}

/**
 * Creates `count` hosts with their BMC Secrets (random throwaway credentials). Hosts that exist
 * already are left as they are (their Secrets get new throwaway credentials), so running it twice is harmless.
 */
export async function createSimHosts(
  kubeConfig: KubeConfig,
  namespace: string,
  options: SimHostsOptions,
): Promise<string[]> {
  const hosts = createBareMetalHostApi(kubeConfig, namespace);
  const secrets = createSecretApi(kubeConfig, namespace);
  const names: string[] = [];
  for (let i = 1; i <= options.count; i++) {
    const host = simHost(namespace, i, options);
    const credentialsName = host.spec.bmc?.credentialsName ?? '';
    await secrets.apply({
      name: credentialsName,
      stringData: { username: 'admin', password: randomBytes(12).toString('base64url') },
    });
    try {
      await hosts.create(host);
    } catch (err) {
      if (classifyApiError(err).kind !== 'alreadyExists') throw err;
    }
    names.push(host.metadata.name);
  }
  return names;
}
