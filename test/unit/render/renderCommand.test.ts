import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ed25519Key, exampleAnnotations, readExample, repoRoot, specExamples } from './fixtures.js';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'render-command-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const aliceKey = ed25519Key(1, 'alice@laptop');

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function claimFile(name: string, annotations: Record<string, string>): string {
  const claim = {
    apiVersion: 'management.loft.sh/v1',
    kind: 'NodeClaim',
    metadata: { name, namespace: 'team-a', annotations: { ...annotations, 'vcluster.com/ssh-keys': 'alice' } },
    spec: { providerRef: 'metal3-provider', typeRef: 'compute-node' },
  };
  return write(`${name}.yaml`, stringify(claim));
}

/** The spec's NodeProvider and an SSHKey in one file of several documents. */
const providerFile = write(
  'provider.yaml',
  `${readExample('nodeprovider-full.yaml')}---\n${stringify({
    apiVersion: 'management.loft.sh/v1',
    kind: 'SSHKey',
    metadata: { name: 'alice' },
    spec: { publicKey: aliceKey },
  })}`,
);

async function renderCommand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/metal3-provider.js', 'render', ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** The `==> title <==` sections of the command's output, without the blank line that separates them. */
function sections(stdout: string): Record<string, string> {
  const parts = stdout.split(/^==> (.+) <==\n/m).slice(1);
  const result: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 2) result[parts[i] ?? ''] = (parts[i + 1] ?? '').replace(/\n\n$/, '\n');
  return result;
}

const join = 'curl -sfL https://platform.example/join.sh | sh';

describe('metal3-provider render', { timeout: 120_000 }, () => {
  it('prints the user data, network data and meta data of the spec’s template annotation example', async () => {
    const claim = claimFile('worker-1', exampleAnnotations('user-data-template-annotation-fragment.yaml'));
    // The spec's host with the spec.online BMO's CRD requires, as the walkthrough applies it.
    const host = path.join(repoRoot, 'examples', 'walkthrough', 'server-01-bmh.yaml');
    const args = ['--claim', claim, '--provider', providerFile, '--host', host, '--address', '10.0.0.5/24'];
    const result = await renderCommand([...args, '--gateway', '10.0.0.1', '--registration-command', join]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = sections(result.stdout);
    expect(Object.keys(output)).toEqual(['user data', 'network data', 'meta data']);
    expect(output['user data']?.startsWith('#cloud-config\n')).toBe(true);
    expect(parse(output['user data'] ?? '')).toEqual({
      users: [{ name: 'ubuntu', ssh_authorized_keys: [aliceKey] }],
      runcmd: ['echo "Provisioning worker-1"', join],
      ssh_authorized_keys: [aliceKey],
    });
    expect(JSON.parse(output['network data'] ?? '')).toMatchObject({
      links: [{ ethernet_mac_address: 'aa:bb:cc:dd:ee:01' }],
      networks: [{ ip_address: '10.0.0.5', netmask: '255.255.255.0', routes: [{ gateway: '10.0.0.1' }] }],
    });
    expect(parse(output['meta data'] ?? '')).toMatchObject({ 'local-hostname': 'worker-1' });
  });

  it('renders the spec’s template Secret example and leaves the network to DHCP', async () => {
    const claim = claimFile('worker-2', exampleAnnotations('user-data-template-secret-reference-fragment.yaml'));
    const secret = path.join(specExamples, 'user-data-template-secret.yaml');
    const result = await renderCommand(['--claim', claim, '--provider', providerFile, '--template-secret', secret]);
    expect(result.code).toBe(0);
    const output = sections(result.stdout);
    expect(parse(output['user data'] ?? '')).toEqual({
      users: [{ name: 'ubuntu', ssh_authorized_keys: [aliceKey] }],
      ssh_authorized_keys: [aliceKey],
    });
    expect(output['network data']).toBe('(none: the host configures its network by DHCP)\n');
  });

  it('merges the NodeProvider’s own properties beneath the node type’s and the claim’s', async () => {
    const provider = parse(readExample('nodeprovider-full.yaml')) as { spec: Record<string, unknown> };
    provider.spec.properties = {
      'vcluster.com/user-data-template': '#cloud-config\nruncmd:\n  - echo from-the-provider {{ .NodeClaim.Name }}\n',
    };
    const file = write('provider-with-properties.yaml', stringify(provider));
    const claim = claimFile('worker-p', {});
    const key = write(
      'alice.yaml',
      stringify({
        apiVersion: 'management.loft.sh/v1',
        kind: 'SSHKey',
        metadata: { name: 'alice' },
        spec: { publicKey: aliceKey },
      }),
    );
    const result = await renderCommand(['--claim', claim, '--provider', file, '--ssh-key', key]);
    expect(result.stderr).toBe('');
    expect(parse(sections(result.stdout)['user data'] ?? '')).toMatchObject({
      runcmd: ['echo from-the-provider worker-p'],
    });
  });

  it('fails with exit status 1 and says which document is missing', async () => {
    const claim = claimFile('worker-3', exampleAnnotations('user-data-template-secret-reference-fragment.yaml'));
    const result = await renderCommand(['--claim', claim, '--provider', providerFile]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'vcluster.com/user-data-template-secret names the template Secret "loft/my-user-data-template", which none of the files holds; pass it with --template-secret\n',
    });
  });

  it('refuses a claim naming another tenant’s Secret as the worker does, whether the Secret is given or not', async () => {
    const claim = claimFile('worker-4', { 'vcluster.com/user-data-template-secret': 'team-b/my-user-data-template' });
    const secret = parse(readExample('user-data-template-secret.yaml')) as { metadata: { namespace: string } };
    secret.metadata.namespace = 'team-b';
    const secretFile = write('team-b-secret.yaml', stringify(secret));
    const without = await renderCommand(['--claim', claim, '--provider', providerFile]);
    const given = await renderCommand(['--claim', claim, '--provider', providerFile, '--template-secret', secretFile]);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain(
      'vcluster.com/user-data-template-secret "team-b/my-user-data-template" (set in NodeClaim "team-a/worker-4" annotations) is invalid',
    );
    expect(without.stderr).toContain('may name only the NodeClaim\'s own namespace "team-a"');
    expect(given).toEqual(without);
  });

  it('stops a runaway template at the limits given as flags and names the limit and the position', async () => {
    const claim = claimFile('worker-5', {
      'vcluster.com/user-data-template': '#cloud-config\n{{ range $i := 1000000000 }}{{ $i }}{{ end }}\n',
    });
    const result = await renderCommand(['--claim', claim, '--provider', providerFile, '--template-max-steps', '500']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('vcluster.com/user-data-template (set in NodeClaim "team-a/worker-5" annotations)');
    expect(result.stderr).toContain('vcluster.com/user-data-template:2:');
    expect(result.stderr).toContain('exceeded the step budget of 500');
  });

  it('prints Go’s whole message for a failing template, since the terminal is the template author’s', async () => {
    const claim = claimFile('worker-6', {
      'vcluster.com/user-data-template': '{{ required "set the token" .Properties.token }}',
    });
    const result = await renderCommand(['--claim', claim, '--provider', providerFile]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'at <required "set the token" .Properties.token>: error calling required: set the token',
    );
  });

  it('refuses limits that are not numbers', async () => {
    const claim = claimFile('worker-7', {});
    const result = await renderCommand(['--claim', claim, '--provider', providerFile, '--template-timeout', 'soon']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('"soon" is not a duration');
  });
});
