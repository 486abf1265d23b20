import type { BareMetalHost } from '../../../api/bareMetalHost.js';

/** An available, inspected host as BMO leaves it; `patch` overrides parts. */
export function availableHost(
  name: string,
  patch: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    cpu?: number;
    ramMiB?: number;
    spec?: Partial<BareMetalHost['spec']>;
    status?: Partial<NonNullable<BareMetalHost['status']>>;
    deletionTimestamp?: string;
  } = {},
): BareMetalHost {
  const host: BareMetalHost = {
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: {
      name,
      namespace: 'metal3-system',
      resourceVersion: '1',
      labels: patch.labels ?? { role: 'compute' },
      ...(patch.annotations ? { annotations: patch.annotations } : {}),
      ...(patch.deletionTimestamp ? { deletionTimestamp: patch.deletionTimestamp } : {}),
    },
    spec: {
      bmc: { address: `redfish://10.0.0.1/${name}`, credentialsName: `${name}-bmc` },
      bootMACAddress: '02:00:00:00:00:01',
      online: false,
      ...patch.spec,
    },
    status: {
      provisioning: { state: 'available' },
      operationalStatus: 'OK',
      errorMessage: '',
      errorCount: 0,
      poweredOn: false,
      hardware: { cpu: { count: patch.cpu ?? 32 }, ramMebibytes: patch.ramMiB ?? 131072 },
      ...patch.status,
    },
  };
  return host;
}
