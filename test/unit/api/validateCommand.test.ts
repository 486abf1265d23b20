import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const examples = path.join(repoRoot, 'docs', 'spec-examples');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'api');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function validate(...files: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [path.join(repoRoot, 'bin', 'metal3-provider.js'), 'validate', ...files],
      { cwd: repoRoot },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('metal3-provider validate', () => {
  it("accepts the spec documents, the walkthrough's BareMetalHost and a file holding one document of every kind", async () => {
    const run = await validate(
      path.join(examples, 'nodeprovider-full.yaml'),
      path.join('examples', 'walkthrough', 'server-01-bmh.yaml'),
      path.join(examples, 'user-data-template-secret.yaml'),
      path.join(fixtures, 'valid', 'catalogue.yaml'),
    );
    expect(run).toMatchObject({ code: 0, stdout: '7 documents valid\n' });
    // A note is not a problem: it says how clusterRef is used, and the exit status stays 0.
    expect(run.stderr.split('\n')).toEqual([
      `${path.join(examples, 'nodeprovider-full.yaml')}:8: note: spec.metal3.clusterRef: this provider works in the cluster of its kubeconfig; clusterRef.namespace "metal3-system" is the namespace there of the BareMetalHosts (and of the Metal3 releases and the Machines' snapshot Secrets); clusterRef.cluster "bare-metal-cluster" is not used to select a cluster`,
      '',
    ]);
  }, 60_000);

  it("refuses the spec's BareMetalHost for the spec.online that BMO's CRD requires, and says what to write", async () => {
    const run = await validate(path.relative(repoRoot, path.join(examples, 'baremetalhost.yaml')));
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'docs/spec-examples/baremetalhost.yaml:8: spec.online: is required by BMO\'s CRD; write "online: false" (the provider powers the host on when it provisions it) or "online: true"',
        '1 problem found',
        '',
      ].join('\n'),
    });
  }, 60_000);

  it('prints every problem of every file at once and exits 1', async () => {
    const run = await validate(
      'test/fixtures/api/invalid/nodetypes-typo.yaml',
      'test/fixtures/api/invalid/quantity-128GB.yaml',
      'test/fixtures/api/missing.yaml',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      [
        'test/fixtures/api/invalid/nodetypes-typo.yaml:6: spec.metal3.nodeTypes: is required',
        'test/fixtures/api/invalid/nodetypes-typo.yaml:10: spec.metal3.nodeType: unknown field "nodeType"; did you mean "nodeTypes"?',
        'test/fixtures/api/invalid/quantity-128GB.yaml:24: spec.metal3.nodeTypes[1].resources.memory: "128GB" is not a Kubernetes quantity; did you mean "128G" or "128Gi"?',
        'test/fixtures/api/missing.yaml: cannot read: no such file',
        '4 problems found',
        '',
      ].join('\n'),
    );
  }, 60_000);

  it('checks a NodeClaim against the NodeProvider given with it', async () => {
    const run = await validate('test/fixtures/api/invalid/nodeclaim-unknown-type.yaml');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'nodeclaim-unknown-type.yaml:26: spec.typeRef: NodeProvider "metal3-provider" has no node type "compute-nodes"; did you mean "compute-node"?',
    );
  }, 60_000);

  it("refuses Metal3 and Multus helmValues their bundled charts' schemas refuse, at the line inside the block", async () => {
    const run = await validate(
      'test/fixtures/api/invalid/helmvalues-metal3-schema.yaml',
      'test/fixtures/api/invalid/helmvalues-multus-schema.yaml',
    );
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toEqual(
      expect.arrayContaining([
        'test/fixtures/api/invalid/helmvalues-metal3-schema.yaml:15: spec.metal3.deploy.metal3.helmValues.ironic.imag: unknown field "imag"; did you mean "image"?',
        'test/fixtures/api/invalid/helmvalues-metal3-schema.yaml:17: spec.metal3.deploy.metal3.helmValues.ironic.apiPort: expected a whole number, got "6385"',
        'test/fixtures/api/invalid/helmvalues-multus-schema.yaml:16: spec.metal3.deploy.multus.helmValues.image.registy: unknown field "registy"; did you mean "registry"?',
        'test/fixtures/api/invalid/helmvalues-multus-schema.yaml:17: spec.metal3.deploy.multus.helmValues.tolerations: expected a list, got a mapping',
        '8 problems found',
      ]),
    );
  }, 60_000);

  it('warns at platform keys it does not read and at DNS servers without a network, refuses an empty file, host annotations and DHCP values the servers could not use', async () => {
    const run = await validate(
      'test/fixtures/api/valid/warnings.yaml',
      'test/fixtures/api/invalid/empty-file.yaml',
      'test/fixtures/api/invalid/bmh-dhcp-annotations.yaml',
      'test/fixtures/api/invalid/helmvalues-dhcp-schema.yaml',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n');
    // Warnings first (they never change the exit status), then every problem with its file and line.
    expect(lines.slice(1, 3)).toEqual([
      'test/fixtures/api/valid/warnings.yaml:18: warning: spec.metal3.nodeTypes[0].properties["vcluster.com/os-imag"]: vcluster.com/os-imag is not used by this provider (vcluster.com/* keys belong to the platform); did you mean "vcluster.com/os-image"?',
      'test/fixtures/api/valid/warnings.yaml:21: warning: spec.metal3.nodeTypes[0].properties["metal3.vcluster.com/dns-servers"]: metal3.vcluster.com/dns-servers has no effect: the provider hands DNS servers out only with an address it allocates, and none of metal3.vcluster.com/network-cidr, metal3.vcluster.com/network-ip-range, vcluster.com/network-environment is set for these Machines; set a network or remove the key',
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        'test/fixtures/api/invalid/empty-file.yaml:1: the file holds no document (it is empty or only comments)',
        'test/fixtures/api/invalid/bmh-dhcp-annotations.yaml:8: metadata.annotations["metal3.vcluster.com/gateway"]: "10.0.1.1" is not a host address of the subnet of metal3.vcluster.com/ip-address "10.0.0.20/24"',
        'test/fixtures/api/invalid/helmvalues-dhcp-schema.yaml:16: spec.metal3.deploy.dhcp.helmValues.networkAttachmentDefinition.vip: "192.168.100.2" is not an IPv4 address with its prefix length, e.g. 192.168.100.3/24',
        '9 problems found',
      ]),
    );
  }, 60_000);
});
