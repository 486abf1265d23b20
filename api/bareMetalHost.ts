import { z } from 'zod';

/**
 * The view of a Metal3 BareMetalHost (metal3.io/v1alpha1) that this project relies on.
 * Objects are parsed loosely (unknown fields pass through) because BMO owns the type and
 * a host we restore must keep every field we did not touch. BMO's own schema, which `validate`
 * and the CRDs enforce, is in bareMetalHostSchema.ts.
 */

export const BMH_API_VERSION = 'metal3.io/v1alpha1';
export const BMH_GROUP = 'metal3.io';
export const BMH_VERSION = 'v1alpha1';
export const BMH_PLURAL = 'baremetalhosts';

/** Provisioning states of BMO's host state machine (status.provisioning.state). */
export const ProvisioningState = z.enum([
  '',
  'unmanaged',
  'registering',
  'match profile',
  'preparing',
  'ready',
  'available',
  'provisioning',
  'provisioned',
  'externally provisioned',
  'deprovisioning',
  'inspecting',
  'powering off before delete',
  'deleting',
]);
export type ProvisioningState = z.infer<typeof ProvisioningState>;

/** status.errorType values BMO reports. */
export const BmhErrorType = z.enum([
  'provisioned registration error',
  'registration error',
  'inspection error',
  'preparation error',
  'provisioning error',
  'power management error',
  'detach error',
  'servicing error',
]);
export type BmhErrorType = z.infer<typeof BmhErrorType>;

const SecretRef = z.looseObject({ name: z.string(), namespace: z.string().optional() });

export const BmhImage = z.looseObject({
  url: z.string(),
  checksum: z.string().optional(),
  checksumType: z.string().optional(),
  format: z.string().optional(),
});
export type BmhImage = z.infer<typeof BmhImage>;

export const ObjectReference = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
});
export type ObjectReference = z.infer<typeof ObjectReference>;

export const BmhSpec = z.looseObject({
  bmc: z
    .looseObject({
      address: z.string(),
      credentialsName: z.string(),
      disableCertificateVerification: z.boolean().optional(),
    })
    .optional(),
  bootMACAddress: z.string().optional(),
  online: z.boolean().optional(),
  image: BmhImage.optional(),
  userData: SecretRef.optional(),
  networkData: SecretRef.optional(),
  metaData: SecretRef.optional(),
  consumerRef: ObjectReference.optional(),
  customDeploy: z.looseObject({ method: z.string() }).optional(),
  automatedCleaningMode: z.enum(['metadata', 'disabled']).optional(),
  externallyProvisioned: z.boolean().optional(),
  description: z.string().optional(),
});
export type BmhSpec = z.infer<typeof BmhSpec>;

export const BmhNic = z.looseObject({
  name: z.string().optional(),
  mac: z.string().optional(),
  ip: z.string().optional(),
  speedGbps: z.number().optional(),
  pxe: z.boolean().optional(),
});

export const BmhHardware = z.looseObject({
  cpu: z.looseObject({ count: z.number().int().optional(), arch: z.string().optional() }).optional(),
  ramMebibytes: z.number().int().optional(),
  nics: z.array(BmhNic).optional(),
  storage: z.array(z.looseObject({ name: z.string().optional(), sizeBytes: z.number().optional() })).optional(),
  hostname: z.string().optional(),
});
export type BmhHardware = z.infer<typeof BmhHardware>;

export const BmhStatus = z.looseObject({
  provisioning: z
    .looseObject({
      state: z.string().optional(),
      ID: z.string().optional(),
      image: BmhImage.optional(),
    })
    .optional(),
  operationalStatus: z.string().optional(),
  errorType: z.string().optional(),
  errorMessage: z.string().optional(),
  errorCount: z.number().int().optional(),
  poweredOn: z.boolean().optional(),
  hardware: BmhHardware.optional(),
  lastUpdated: z.string().optional(),
});
export type BmhStatus = z.infer<typeof BmhStatus>;

export const BareMetalHost = z.looseObject({
  apiVersion: z.literal(BMH_API_VERSION),
  kind: z.literal('BareMetalHost'),
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    resourceVersion: z.string().optional(),
    uid: z.string().optional(),
    deletionTimestamp: z.string().optional(),
  }),
  spec: BmhSpec,
  status: BmhStatus.optional(),
});
export type BareMetalHost = z.infer<typeof BareMetalHost>;

/** Annotations BMO honours that take a host out of our hands. */
export const BMH_PAUSED_ANNOTATION = 'baremetalhost.metal3.io/paused';
export const BMH_DETACHED_ANNOTATION = 'baremetalhost.metal3.io/detached';
