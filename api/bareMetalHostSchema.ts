import { z } from 'zod';
import { NamespacedObjectMeta } from './objectMeta.js';

/**
 * The BareMetalHost (metal3.io/v1alpha1) as the Bare Metal Operator defines it, for the documents
 * people write and for the CRD the devstack and the Metal3 chart install. The Metal3 chart runs BMO
 * v0.12.0; what BMO's CRD of that release enforces on the spec is enforced here, no more and no less:
 * the same fields, required fields, enums, patterns, bounds and defaults, and no other fields (BMO's
 * schema is closed: the apiserver prunes unknown fields, and `kubectl apply` refuses them).
 *
 * `validate` checks documents with this schema and crds/baremetalhost.yaml is generated from it, so
 * the two cannot disagree. The provider reads hosts through the looser view in bareMetalHost.ts,
 * which keeps fields a newer BMO may add when a host is written back.
 */

export const BootMode = z.enum(['UEFI', 'UEFISecureBoot', 'legacy']);
export const AutomatedCleaningMode = z.enum(['metadata', 'disabled']);
export const ChecksumType = z.enum(['md5', 'sha256', 'sha512', 'auto']);
export const ImageFormat = z.enum(['raw', 'qcow2', 'vdi', 'vmdk', 'live-iso']);
export const InspectionMode = z.enum(['disabled', 'agent']);

/**
 * BMO's pattern for MAC addresses. Like every OpenAPI pattern it is searched for, not matched whole
 * (zod's regex check searches too), so it is kept unanchored exactly as BMO writes it.
 */
export const MAC_ADDRESS_PATTERN = /[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}/;

const MacAddress = z.string().regex(MAC_ADDRESS_PATTERN, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a MAC address BMO accepts; write six pairs of hex digits separated by ":", e.g. "aa:bb:cc:dd:ee:01"`,
});

const NonNegativeInteger = z.number().int().min(0);

/** Replaced as a whole by server-side apply, as BMO's CRD declares its references. */
const ATOMIC = { 'x-kubernetes-map-type': 'atomic' } as const;

/** A reference to a Secret; BMO's CRD requires neither key. */
const SecretReference = z
  .strictObject({
    name: z.string().optional(),
    namespace: z.string().optional(),
  })
  .meta(ATOMIC);

const RootDeviceHints = z.strictObject({
  deviceName: z.string().optional().describe('Device name or by-path link, matched exactly.'),
  hctl: z.string().optional().describe('SCSI address, matched exactly.'),
  model: z.string().optional().describe('Part of the device model.'),
  vendor: z.string().optional().describe('Part of the vendor name.'),
  serialNumber: z.string().optional().describe('Serial number, matched exactly.'),
  minSizeGigabytes: NonNegativeInteger.optional().describe('Smallest acceptable size in GB.'),
  wwn: z.string().optional(),
  wwnWithExtension: z.string().optional(),
  wwnVendorExtension: z.string().optional(),
  rotational: z.boolean().optional().describe('Spinning disk (true) or solid state (false).'),
});

const HardwareRaidVolume = z.strictObject({
  sizeGibibytes: NonNegativeInteger.optional().describe('Size in GiB; 0 or unset uses the whole disk.'),
  level: z.enum(['0', '1', '2', '5', '6', '1+0', '5+0', '6+0']),
  name: z.string().max(64).optional(),
  rotational: z.boolean().optional(),
  numberOfPhysicalDisks: z.number().int().min(1).optional(),
  controller: z.string().optional(),
  physicalDisks: z.array(z.string()).optional(),
});

const SoftwareRaidVolume = z.strictObject({
  sizeGibibytes: NonNegativeInteger.optional().describe('Size in GiB; 0 or unset uses the whole disk.'),
  level: z.enum(['0', '1', '1+0']),
  physicalDisks: z.array(RootDeviceHints).min(2).optional(),
});

/** The keys of a corev1.ObjectReference; BMO's CRD requires none of them. */
const ObjectReference = z
  .strictObject({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    name: z.string().optional(),
    namespace: z.string().optional(),
    uid: z.string().optional(),
    resourceVersion: z.string().optional(),
    fieldPath: z.string().optional(),
  })
  .meta(ATOMIC);

const Taint = z.strictObject({
  key: z.string(),
  value: z.string().optional(),
  effect: z.string(),
  timeAdded: z.iso
    .datetime({
      offset: true,
      error: (issue) => `${JSON.stringify(issue.input)} is not an RFC 3339 time; write e.g. "2025-01-31T12:00:00Z"`,
    })
    .optional(),
});

export const BareMetalHostImage = z.strictObject({
  url: z.string(),
  checksum: z.string().optional().describe('Required by BMO for every format but live-iso and oci:// images.'),
  checksumType: ChecksumType.optional().describe('auto detects the algorithm from the checksum.'),
  format: ImageFormat.optional(),
});

/** What `validate` says when `online` is missing, as it is from the spec's example. */
const ONLINE_WHEN_MISSING =
  'is required by BMO\'s CRD; write "online: false" (the provider powers the host on when it provisions it) or "online: true"';

export const BareMetalHostSpec = z.strictObject({
  taints: z.array(Taint).optional().describe('Taints for the node of the Machine on this host.'),
  bmc: z
    .strictObject({
      address: z.string().describe('URL of the BMC; its scheme selects the driver.'),
      credentialsName: z.string().describe('Secret with the keys username and password.'),
      disableCertificateVerification: z.boolean().optional(),
    })
    .optional(),
  raid: z
    .strictObject({
      hardwareRAIDVolumes: z.array(HardwareRaidVolume).nullable().optional(),
      softwareRAIDVolumes: z.array(SoftwareRaidVolume).max(2).nullable().optional(),
    })
    .optional(),
  // BMO's CRD also lists [true, false] as the enum of these switches, which adds nothing to the type.
  firmware: z
    .strictObject({
      virtualizationEnabled: z.boolean().optional(),
      simultaneousMultithreadingEnabled: z.boolean().optional(),
      sriovEnabled: z.boolean().optional(),
    })
    .optional(),
  hardwareProfile: z.string().optional().describe('Deprecated by BMO.'),
  rootDeviceHints: RootDeviceHints.optional().describe('How to choose the disk the image is written to.'),
  bootMode: BootMode.optional().describe('UEFI when unset.'),
  bootMACAddress: MacAddress.optional().describe('MAC of the NIC the host boots from over the network.'),
  online: z.boolean().meta({ description: 'Whether the host should be powered on.', whenMissing: ONLINE_WHEN_MISSING }),
  consumerRef: ObjectReference.optional().describe('What uses the host; set while a Machine holds it.'),
  image: BareMetalHostImage.optional().describe('The image to write to the disk; setting it starts provisioning.'),
  userData: SecretReference.optional().describe('Secret with the user data for the config drive.'),
  preprovisioningNetworkDataName: z.string().optional(),
  networkData: SecretReference.optional().describe('Secret with the network data for the config drive.'),
  metaData: SecretReference.optional().describe('Secret with the meta data for the config drive.'),
  description: z.string().optional(),
  externallyProvisioned: z.boolean().optional(),
  automatedCleaningMode: AutomatedCleaningMode.default('metadata'),
  customDeploy: z.strictObject({ method: z.string() }).optional(),
  architecture: z.string().optional().describe('CPU architecture; BMO fills it in from inspection when unset.'),
  disablePowerOff: z.boolean().optional(),
  inspectionMode: InspectionMode.optional(),
});
export type BareMetalHostSpec = z.infer<typeof BareMetalHostSpec>;

export const BareMetalHostDocument = z.strictObject({
  apiVersion: z.literal('metal3.io/v1alpha1'),
  kind: z.literal('BareMetalHost'),
  metadata: NamespacedObjectMeta,
  // BMO's CRD does not require a spec; without one, `online` is not required either.
  spec: BareMetalHostSpec.optional(),
  // Written by BMO (or the simulator), never by people: kept whole rather than checked field by field.
  status: z.record(z.string(), z.unknown()).optional(),
});
export type BareMetalHostDocument = z.infer<typeof BareMetalHostDocument>;
