import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { BareMetalHostDocument, MAC_ADDRESS_PATTERN } from '../../../api/bareMetalHostSchema.js';
import { KIND_DEFINITIONS, customResourceDefinition } from '../../../api/crd/crdDefinitions.js';
import type { StructuralSchema } from '../../../api/crd/structuralSchema.js';
import { formatIssue } from '../../../api/issues.js';
import { validateDocument } from '../../../api/validateDocument.js';
import { validateWith } from '../../../api/zodIssues.js';
import { readSpecExample } from '../../support/specExamples.js';

// The BareMetalHost that `validate` checks and the CRD the devstack and the Metal3 chart install are
// BMO's (v0.12.0): one zod schema, the same rules. These tests pin the rules BMO's CRD has.
const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const definition = KIND_DEFINITIONS.find((d) => d.kind === 'BareMetalHost');
if (!definition) throw new Error('BareMetalHost is not defined');

interface Crd {
  metadata: { name: string };
  spec: {
    group: string;
    names: { shortNames?: string[] };
    versions: { name: string; subresources?: unknown; schema: { openAPIV3Schema: StructuralSchema } }[];
  };
}
const crd = customResourceDefinition(definition) as unknown as Crd;
const version = crd.spec.versions[0];
const root = version?.schema.openAPIV3Schema;
const spec = root?.properties?.spec;
const field = (name: string): StructuralSchema | undefined => spec?.properties?.[name];

function host(specFields: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name: 'server-01', namespace: 'metal3-system' },
    spec: {
      bmc: { address: 'redfish://192.168.1.100', credentialsName: 'server-01-bmc' },
      bootMACAddress: 'aa:bb:cc:dd:ee:01',
      online: false,
      ...specFields,
    },
  };
}

/** `path: message` of every problem `validate` finds in `document`. */
function problems(document: unknown): string[] {
  const result = validateDocument(document);
  return result.ok ? [] : result.issues.map(formatIssue);
}

/** Every path in `schema` that keeps unknown fields. */
function openPaths(schema: StructuralSchema | undefined, at: string): string[] {
  if (!schema) return [];
  const self = schema['x-kubernetes-preserve-unknown-fields'] ? [at] : [];
  const children = [
    ...Object.entries(schema.properties ?? {}).map(([key, child]) => openPaths(child, `${at}.${key}`)),
    openPaths(schema.items, `${at}[]`),
    openPaths(schema.additionalProperties, `${at}{}`),
  ];
  return [...self, ...children.flat()];
}

describe("the BareMetalHost CRD is BMO's", () => {
  it('is baremetalhosts.metal3.io v1alpha1 with the short names and the status subresource', () => {
    expect(crd.metadata.name).toBe('baremetalhosts.metal3.io');
    expect(crd.spec.group).toBe('metal3.io');
    expect(crd.spec.names.shortNames).toEqual(['bmh', 'bmhost']);
    expect(version?.name).toBe('v1alpha1');
    expect(version?.subresources).toEqual({ status: {} });
  });

  it('requires spec.online and nothing else at the top of the spec', () => {
    expect(root?.required).toBeUndefined();
    expect(spec?.required).toEqual(['online']);
    expect(field('online')).toMatchObject({ type: 'boolean' });
  });

  it('has a closed spec (unknown fields are pruned, or refused by kubectl), status kept whole', () => {
    expect(openPaths(spec, 'spec')).toEqual([]);
    expect(root?.properties?.status).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });

  it("carries BMO's pattern, enums, bounds and the automatedCleaningMode default", () => {
    expect(field('bootMACAddress')).toMatchObject({ type: 'string', pattern: '[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}' });
    expect(field('automatedCleaningMode')).toMatchObject({ enum: ['metadata', 'disabled'], default: 'metadata' });
    expect(field('bootMode')?.enum).toEqual(['UEFI', 'UEFISecureBoot', 'legacy']);
    expect(field('inspectionMode')?.enum).toEqual(['disabled', 'agent']);
    expect(field('image')).toMatchObject({
      required: ['url'],
      properties: {
        checksumType: { enum: ['md5', 'sha256', 'sha512', 'auto'] },
        format: { enum: ['raw', 'qcow2', 'vdi', 'vmdk', 'live-iso'] },
      },
    });
    expect(field('bmc')?.required).toEqual(['address', 'credentialsName']);
    expect(field('customDeploy')?.required).toEqual(['method']);
    expect(field('rootDeviceHints')?.properties?.minSizeGigabytes).toEqual({
      description: 'Smallest acceptable size in GB.',
      type: 'integer',
      minimum: 0,
    });
    const raid = field('raid')?.properties;
    expect(raid?.hardwareRAIDVolumes).toMatchObject({ nullable: true, items: { required: ['level'] } });
    expect(raid?.hardwareRAIDVolumes?.items?.properties?.name).toMatchObject({ maxLength: 64 });
    expect(raid?.softwareRAIDVolumes).toMatchObject({ maxItems: 2, nullable: true });
    expect(raid?.softwareRAIDVolumes?.items?.properties?.physicalDisks).toMatchObject({ minItems: 2 });
    expect(field('taints')?.items).toMatchObject({
      required: ['key', 'effect'],
      properties: { timeAdded: { format: 'date-time' } },
    });
    for (const reference of ['consumerRef', 'userData', 'networkData', 'metaData']) {
      expect(field(reference)?.['x-kubernetes-map-type']).toBe('atomic');
    }
  });

  it('covers every spec field the provider writes and the spec example uses', () => {
    expect(Object.keys(spec?.properties ?? {})).toEqual(
      expect.arrayContaining([
        ...['image', 'userData', 'networkData', 'metaData', 'consumerRef', 'online', 'customDeploy'],
        ...['externallyProvisioned', 'automatedCleaningMode', 'bootMode', 'rootDeviceHints', 'bmc'],
        ...['bootMACAddress', 'hardwareProfile', 'architecture', 'description', 'preprovisioningNetworkDataName'],
        ...['raid', 'firmware', 'taints', 'disablePowerOff', 'inspectionMode'],
      ]),
    );
  });

  it('is installed once by the Metal3 chart, as the same generated CRD', async () => {
    const chartCrds = path.join(repoRoot, 'charts', 'metal3', 'crds');
    const named: unknown[] = [];
    for (const file of await readdir(chartCrds)) {
      for (const doc of parseAllDocuments(await readFile(path.join(chartCrds, file), 'utf8'))) {
        const object = doc.toJS() as { metadata?: { name?: string } } | null;
        if (object?.metadata?.name === 'baremetalhosts.metal3.io') named.push(object);
      }
    }
    expect(named).toEqual([customResourceDefinition(definition)]);
  });
});

describe('validate checks a BareMetalHost with the same rules', () => {
  it("accepts the walkthrough's host, which is the spec's with online: false", async () => {
    const walkthrough = parse(
      await readFile(path.join(repoRoot, 'examples', 'walkthrough', 'server-01-bmh.yaml'), 'utf8'),
    ) as { spec: Record<string, unknown> };
    const specExample = parse(await readSpecExample('baremetalhost.yaml')) as { spec: Record<string, unknown> };
    expect(walkthrough).toEqual({ ...specExample, spec: { ...specExample.spec, online: false } });
    expect(problems(walkthrough)).toEqual([]);
  });

  it('refuses a host without spec.online and says what to write', () => {
    const { online: _online, ...rest } = host({}).spec as Record<string, unknown>;
    expect(problems({ ...host({}), spec: rest })).toEqual([
      'spec.online: is required by BMO\'s CRD; write "online: false" (the provider powers the host on when it provisions it) or "online: true"',
    ]);
  });

  it("refuses a boot MAC that BMO's pattern does not find, and takes what it does", () => {
    expect(problems(host({ bootMACAddress: '02-00-00-00-00-01' }))).toEqual([
      'spec.bootMACAddress: "02-00-00-00-00-01" is not a MAC address BMO accepts; write six pairs of hex digits separated by ":", e.g. "aa:bb:cc:dd:ee:01"',
    ]);
    expect(problems(host({ bootMACAddress: '02:00:00:00:AA:01' }))).toEqual([]);
    // An OpenAPI pattern is searched for, not matched whole: BMO's takes a MAC with more around it.
    expect(MAC_ADDRESS_PATTERN.test('mac 02:00:00:00:aa:01 (eth0)')).toBe(true);
  });

  it('refuses values outside the enums of automatedCleaningMode and bootMode', () => {
    expect(problems(host({ automatedCleaningMode: 'enabled', bootMode: 'uefi' }))).toEqual([
      'spec.bootMode: "uefi" is not one of UEFI, UEFISecureBoot, legacy; did you mean "UEFI"?',
      'spec.automatedCleaningMode: "enabled" is not one of metadata, disabled',
    ]);
  });

  it('refuses fields BMO does not define, with a suggestion', () => {
    expect(problems(host({ onlin: true, bmc: { address: 'redfish://x', credentialsName: 'c', port: 623 } }))).toEqual([
      'spec.bmc.port: unknown field "port"',
      'spec.onlin: unknown field "onlin"; did you mean "online"?',
    ]);
  });

  it('applies the default automatedCleaningMode as the apiserver does', () => {
    const result = validateWith(BareMetalHostDocument, host({}));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.value.spec?.automatedCleaningMode).toBe('metadata');
    expect(field('automatedCleaningMode')?.default).toBe('metadata');
  });

  it('checks bounds and lengths: RAID levels, volume names, disk counts, sizes', () => {
    const raid = {
      hardwareRAIDVolumes: [{ level: '3', name: 'x'.repeat(65), numberOfPhysicalDisks: 0 }],
      softwareRAIDVolumes: null,
    };
    expect(problems(host({ raid, rootDeviceHints: { minSizeGigabytes: 1.5 } }))).toEqual([
      'spec.raid.hardwareRAIDVolumes[0].level: "3" is not one of 0, 1, 2, 5, 6, 1+0, 5+0, 6+0; did you mean "0", "1", "2", "5" or "6"?',
      'spec.raid.hardwareRAIDVolumes[0].name: must be at most 64 characters long',
      'spec.raid.hardwareRAIDVolumes[0].numberOfPhysicalDisks: must be at least 1',
      'spec.rootDeviceHints.minSizeGigabytes: expected a whole number, got 1.5',
    ]);
    expect(problems(host({ raid: { softwareRAIDVolumes: [{ level: '1', physicalDisks: [{}] }] } }))).toEqual([
      'spec.raid.softwareRAIDVolumes[0].physicalDisks: must have at least 2 entries',
    ]);
  });

  it('also says when BMO would take a host the provider cannot use', () => {
    const { spec: _spec, ...withoutSpec } = host({});
    expect(problems(withoutSpec)).toEqual([
      "spec: is required (BMO's CRD allows this, but the provider cannot use such a host)",
    ]);
    expect(problems(host({ consumerRef: { kind: 'NodeClaim' } }))).toEqual([
      "spec.consumerRef.name: is required (BMO's CRD allows this, but the provider cannot use such a host)",
    ]);
  });

  it('takes every field the provider writes', () => {
    expect(
      problems(
        host({
          online: true,
          image: { url: 'http://images/ubuntu.qcow2', checksum: 'abc', checksumType: 'sha256', format: 'qcow2' },
          userData: { name: 'm-user-data', namespace: 'metal3-system' },
          networkData: { name: 'm-network-data', namespace: 'metal3-system' },
          metaData: { name: 'm-meta-data', namespace: 'metal3-system' },
          consumerRef: { apiVersion: 'management.loft.sh/v1', kind: 'NodeClaim', name: 'm', namespace: 'p' },
          customDeploy: { method: 'install_coreos' },
          architecture: 'x86_64',
          taints: [{ key: 'gpu', effect: 'NoSchedule', timeAdded: '2025-01-31T12:00:00Z' }],
        }),
      ),
    ).toEqual([]);
  });
});
