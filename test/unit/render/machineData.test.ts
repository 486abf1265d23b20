import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BareMetalHost } from '../../../api/bareMetalHost.js';
import { PropertyKeys } from '../../../api/properties/keys.js';
import { resolveEffectiveProperties } from '../../../api/resolve/effectiveProperties.js';
import { Secret } from '../../../api/templateSecret.js';
import { MachineDataError, NetworkDataError, RenderLimitError, UserDataError } from '../../../render/errors.js';
import { renderMachineData } from '../../../render/machineData.js';
import { readTemplateSecret } from '../../../render/templateSecretText.js';
import { selectSshKeys } from '../../../render/templateValues.js';
import {
  ed25519Key,
  effectiveOf,
  exampleAnnotations,
  exampleProvider,
  nodeClaim,
  readExample,
  sshKey,
  renderInput,
  type UnparsedRenderInput,
} from './fixtures.js';

const alice = ed25519Key(1, 'alice@laptop');
const bob = ed25519Key(2, 'bob@desk');
const keys = [sshKey('alice', alice), sshKey('bob', bob)];
const join = [
  'curl -sfL https://platform.example/node/join.sh | sh -s -- --token 0123456789abcdef',
  'systemctl enable --now kubelet',
];

const host = BareMetalHost.parse(parse(readExample('baremetalhost.yaml')));

/** The spec's NodeProvider, a NodeClaim carrying `annotations`, and the spec's host, through the whole path. */
function renderFromSpec(annotations: Record<string, string>, extra: Partial<UnparsedRenderInput> = {}) {
  const claim = nodeClaim('worker-1', { ...annotations, [PropertyKeys.sshKeys]: 'alice,bob' });
  const [nodeType] = exampleProvider().spec.metal3.nodeTypes;
  if (nodeType === undefined) throw new Error('the example defines a node type');
  const effective = resolveEffectiveProperties({ nodeType, nodeClaim: claim });
  return renderMachineData(
    renderInput({
      claim,
      effective,
      sshKeys: selectSshKeys(effective, keys),
      bareMetalHost: host,
      templates: {},
      registrationCommands: join,
      ...extra,
    }),
  );
}

function cloudConfig(userData: string): Record<string, unknown> {
  expect(userData.split('\n')[0]).toBe('#cloud-config');
  return parse(userData, { version: '1.1' }) as Record<string, unknown>;
}

describe('renderMachineData with the spec examples', () => {
  it('renders the user-data template annotation into cloud-config with the keys and the join commands last', () => {
    const data = renderFromSpec(exampleAnnotations('user-data-template-annotation-fragment.yaml'));
    expect(cloudConfig(data.userData)).toEqual({
      users: [{ name: 'ubuntu', ssh_authorized_keys: [alice, bob] }],
      runcmd: ['echo "Provisioning worker-1"', ...join],
      ssh_authorized_keys: [alice, bob],
    });
  });

  it('renders the template Secret example the same way, its runcmd being only the join commands', () => {
    const secret = Secret.parse(parse(readExample('user-data-template-secret.yaml')));
    const data = renderFromSpec(exampleAnnotations('user-data-template-secret-reference-fragment.yaml'), {
      templates: { userDataTemplateSecret: readTemplateSecret(secret, PropertyKeys.userDataTemplateSecret) },
    });
    expect(cloudConfig(data.userData)).toEqual({
      users: [{ name: 'ubuntu', ssh_authorized_keys: [alice, bob] }],
      ssh_authorized_keys: [alice, bob],
      runcmd: join,
    });
  });

  it('gives meta data with the claim name as host name and no network data without a lease', () => {
    const data = renderFromSpec({});
    expect(data.networkData).toBeUndefined();
    expect(parse(data.metaData)).toMatchObject({ 'local-hostname': 'worker-1', 'instance-id': 'team-a.worker-1' });
  });
});

function render(properties: Record<string, string>, extra: Partial<UnparsedRenderInput> = {}) {
  return renderMachineData(
    renderInput({
      claim: nodeClaim('worker-2'),
      project: 'research',
      effective: effectiveOf(properties),
      sshKeys: [{ Name: 'alice', PublicKey: alice }],
      bareMetalHost: host,
      templates: {},
      registrationCommands: ['join'],
      ...extra,
    }),
  );
}

describe('user data precedence', () => {
  const inline = '#cloud-config\nruncmd: [from-inline]\n';
  const template = '#cloud-config\nruncmd: [from-template]\n';
  const secretTemplate = '#cloud-config\nruncmd: [from-secret]\n';
  const runcmd = (properties: Record<string, string>) =>
    cloudConfig(render(properties, { templates: { userDataTemplateSecret: secretTemplate } }).userData).runcmd;

  it('takes vcluster.com/user-data over both templates', () => {
    expect(
      runcmd({
        [PropertyKeys.userData]: inline,
        [PropertyKeys.userDataTemplate]: template,
        [PropertyKeys.userDataTemplateSecret]: 'loft/tpl',
      }),
    ).toEqual(['from-inline', 'join']);
  });

  it('takes vcluster.com/user-data-template over the template Secret', () => {
    expect(
      runcmd({ [PropertyKeys.userDataTemplate]: template, [PropertyKeys.userDataTemplateSecret]: 'loft/tpl' }),
    ).toEqual(['from-template', 'join']);
  });

  it('uses the template Secret when it alone is set', () => {
    expect(runcmd({ [PropertyKeys.userDataTemplateSecret]: 'loft/tpl' })).toEqual(['from-secret', 'join']);
  });

  it('generates cloud-config with only the additions when none is set', () => {
    expect(cloudConfig(render({}).userData)).toEqual({ ssh_authorized_keys: [alice], runcmd: ['join'] });
  });

  it('does not execute vcluster.com/user-data as a template', () => {
    const text = '#cloud-config\nruncmd: ["echo {{ .NodeClaim.Name }}"]\n';
    expect(cloudConfig(render({ [PropertyKeys.userData]: text }).userData).runcmd).toEqual([
      'echo {{ .NodeClaim.Name }}',
      'join',
    ]);
  });
});

describe('template values', () => {
  it('exposes the spec fields with the allocated address bare and the gateway', () => {
    const template = [
      '#cloud-config',
      'runcmd:',
      '- echo {{ .NodeClaim.Name }} {{ .NodeClaim.Namespace }} {{ .NodeClaim.ObjectMeta.Name }}',
      '- echo {{ .Project }} {{ index .Properties "metal3.vcluster.com/dns-servers" }}',
      '- echo {{ .BareMetalHost.metadata.name }} {{ .BareMetalHost.spec.bootMACAddress }}',
      '- echo {{ .AllocatedIP }} via {{ .Gateway }}',
      '- echo {{ range .SSHKeys }}{{ .Name }}{{ end }}',
    ].join('\n');
    const data = render(
      { [PropertyKeys.userDataTemplate]: template, [PropertyKeys.dnsServers]: '8.8.8.8' },
      { lease: { address: '10.0.0.5', prefix: 24, gateway: '10.0.0.1', dnsServers: ['8.8.8.8'], ntpServers: [] } },
    );
    expect(cloudConfig(data.userData).runcmd).toEqual([
      'echo worker-2 team-a worker-2',
      'echo research 8.8.8.8',
      'echo server-01 aa:bb:cc:dd:ee:01',
      'echo 10.0.0.5 via 10.0.0.1',
      'echo alice',
      'join',
    ]);
  });

  it('gives a dual-stack Machine its IPv6 address and gateway beside the IPv4 ones', () => {
    const template =
      '#cloud-config\nruncmd: ["{{ .AllocatedIP }} {{ .Gateway }} {{ .AllocatedIPv6 }} {{ .GatewayIPv6 }}"]';
    const lease = {
      address: '10.0.0.5',
      prefix: 24,
      gateway: '10.0.0.1',
      dnsServers: [],
      ntpServers: [],
      ipv6: { address: 'fd00::5', prefix: 64, gateway: 'fd00::1' },
    };
    expect(cloudConfig(render({ [PropertyKeys.userDataTemplate]: template }, { lease }).userData).runcmd).toEqual([
      '10.0.0.5 10.0.0.1 fd00::5 fd00::1',
      'join',
    ]);
  });

  it('gives empty AllocatedIP, Gateway and their IPv6 twins without IPAM, so templates can test them', () => {
    const template =
      '#cloud-config\nruncmd: ["{{ if .AllocatedIP }}static{{ else }}dhcp{{ end }}{{ .Gateway }}{{ .AllocatedIPv6 }}{{ .GatewayIPv6 }}"]';
    expect(cloudConfig(render({ [PropertyKeys.userDataTemplate]: template }).userData).runcmd).toEqual([
      'dhcp',
      'join',
    ]);
  });
});

describe('errors', () => {
  function userDataError(properties: Record<string, string>, extra: Partial<UnparsedRenderInput> = {}): UserDataError {
    try {
      render(properties, extra);
    } catch (error) {
      if (error instanceof UserDataError) return error;
      throw error;
    }
    throw new Error('expected a UserDataError');
  }

  it('reports a template that fails to execute by property, origin and position, without quoting the template', () => {
    const error = userDataError({
      [PropertyKeys.userDataTemplate]: '#cloud-config\nruncmd:\n- {{ required "set the token" .Properties.token }}\n',
    });
    expect(error.property).toBe(PropertyKeys.userDataTemplate);
    expect(error.message).toBe(
      'vcluster.com/user-data-template (set in node type "compute-node" properties) at vcluster.com/user-data-template:3:5: error calling required',
    );
    // Go's whole message, for the terminal of whoever renders their own template.
    expect(error.detail).toBe(
      'vcluster.com/user-data-template (set in node type "compute-node" properties): template: vcluster.com/user-data-template:3:5: executing "vcluster.com/user-data-template" at <required "set the token" .Properties.token>: error calling required: set the token',
    );
  });

  it('reports a template that does not parse by line, without the text at fault', () => {
    const error = userDataError({ [PropertyKeys.userDataTemplate]: '#cloud-config\n{{ .NodeClaim.Name }\n' });
    expect(error.message).toBe(
      'vcluster.com/user-data-template (set in node type "compute-node" properties) at vcluster.com/user-data-template:2: unexpected token in operand',
    );
    expect(error.detail).toContain('unexpected "}" in operand');
  });

  it('names the template Secret when its template fails, and keeps the Secret’s text out', () => {
    const error = userDataError(
      { [PropertyKeys.userDataTemplateSecret]: 'loft/tpl' },
      { templates: { userDataTemplateSecret: '{{ fail "s3cr3t-in-template" }}' } },
    );
    expect(error.message).toMatch(
      /^vcluster\.com\/user-data-template-secret \(set in .*\) Secret "loft\/tpl" at tpl:1:3: error calling fail$/,
    );
    expect(error.message).not.toContain('s3cr3t');
  });

  it('keeps values out of the message: a range over a secret property', () => {
    const error = userDataError({
      [PropertyKeys.userDataTemplate]: '{{ range index .Properties "token" }}{{ end }}',
      token: 's3cr3t-value',
    });
    expect(error.message).toMatch(/at vcluster\.com\/user-data-template:1:\d+: range can't iterate over this value$/);
    expect(error.message).not.toContain('s3cr3t');
    expect(error.detail).toContain('s3cr3t-value');
  });

  it('stops a runaway template at the step budget with a RenderLimitError naming the limit and position', () => {
    let caught: unknown;
    try {
      render({ [PropertyKeys.userDataTemplate]: '#cloud-config\n{{ range $i := 1000000000 }}{{ end }}' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RenderLimitError);
    const error = caught as RenderLimitError;
    expect(error.limit).toBe('steps');
    expect(error.property).toBe(PropertyKeys.userDataTemplate);
    expect(error.message).toMatch(
      /^vcluster\.com\/user-data-template \(set in .*\) at vcluster\.com\/user-data-template:2:\d+: exceeded the step budget of 100000 /,
    );
  });

  it('reports rendered cloud-config that is not YAML, with its line', () => {
    const error = userDataError({ [PropertyKeys.userDataTemplate]: '#cloud-config\nruncmd: [a\nb: c\n' });
    expect(error.message).toMatch(/: the rendered user data is not valid YAML: .*\(line \d+\)$/);
  });

  it('reports a runcmd that is not a list instead of dropping the join commands', () => {
    const error = userDataError({ [PropertyKeys.userData]: '#cloud-config\nruncmd: echo hi\n' });
    expect(error.message).toBe(
      'vcluster.com/user-data (set in node type "compute-node" properties): the user data runcmd must be a list of commands',
    );
  });

  it('says how to mark cloud-config when user data is neither cloud-config nor a script', () => {
    const error = userDataError({ [PropertyKeys.userData]: 'echo hello' });
    expect(error.message).toContain('start cloud-config with #cloud-config, and scripts with #!');
  });

  it('reports a template Secret whose template the caller did not provide', () => {
    const error = userDataError({ [PropertyKeys.userDataTemplateSecret]: 'my-template' });
    expect(error.message).toContain('names the template Secret "my-template", whose template was not provided');
  });

  it('reports network data from a template that is not a mapping', () => {
    expect(() => render({ [PropertyKeys.networkDataTemplate]: '- {{ .AllocatedIP }}' })).toThrow(
      new NetworkDataError(
        PropertyKeys.networkDataTemplate,
        'vcluster.com/network-data-template (set in node type "compute-node" properties): the rendered network data must be a YAML mapping (key: value lines), not a list',
      ),
    );
  });

  it('names SSH keys that do not exist', () => {
    const effective = effectiveOf({ [PropertyKeys.sshKeys]: 'alice,carol,dave' });
    expect(() => selectSshKeys(effective, keys)).toThrow(MachineDataError);
    expect(() => selectSshKeys(effective, keys)).toThrow(
      'vcluster.com/ssh-keys (set in node type "compute-node" properties) names SSHKeys "carol", "dave", which do not exist; create them or remove them from the list',
    );
  });

  it('rejects a template Secret without the template-type label', () => {
    const secret = Secret.parse({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'tpl', namespace: 'loft' },
      stringData: { template: '#cloud-config\n' },
    });
    expect(() => readTemplateSecret(secret, PropertyKeys.userDataTemplateSecret)).toThrow(
      'the template Secret "loft/tpl" named by vcluster.com/user-data-template-secret is unusable: metadata.labels: a template Secret must carry the label vcluster.com/user-data-template-type',
    );
  });
});
