/**
 * The Values object as templates see it: Go structs with the platform's field names, so that
 * `.NodeClaim.Name`, `.NodeClaim.Labels` and `.NodeClaim.Spec.…` work as on the platform's Go types
 * and a field that does not exist is Go's error, not an empty string.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NodeClaim } from '../../../api/nodeClaim.js';
import { TemplateExecError, renderTemplate } from '../../../packages/go-template/src/index.js';
import type { GoType } from '../../../packages/go-template/src/index.js';
import { buildTemplateValues } from '../../../render/templateValues.js';
import { VALUES_TYPE } from '../../../render/templateValueTypes.js';

const claim = NodeClaim.parse({
  apiVersion: 'management.loft.sh/v1',
  kind: 'NodeClaim',
  metadata: {
    name: 'worker-7',
    namespace: 'team-a',
    labels: { 'topology.kubernetes.io/zone': 'rack-2', tier: 'gpu' },
    annotations: { note: 'x' },
  },
  spec: {
    providerRef: 'metal3-provider',
    typeRef: 'gpu-node',
    project: 'research',
    properties: { 'vcluster.com/os-image': 'ubuntu-noble' },
  },
});

const values = buildTemplateValues({
  claim,
  project: 'research',
  properties: { 'metal3.vcluster.com/dns-servers': '8.8.8.8' },
  sshKeys: [{ Name: 'alice', PublicKey: 'ssh-ed25519 AAAA alice@laptop' }],
  lease: { address: '10.0.0.5', prefix: 24, gateway: '10.0.0.1', dnsServers: [], ntpServers: [] },
});

const render = (text: string): string => renderTemplate('user-data', text, values);

describe('the Values object', () => {
  it('shows the NodeClaim with the Go field names, ObjectMeta and TypeMeta promoted', () => {
    expect(render('{{ .NodeClaim.Name }}/{{ .NodeClaim.Namespace }}/{{ .NodeClaim.ObjectMeta.Name }}')).toBe(
      'worker-7/team-a/worker-7',
    );
    expect(render('{{ .NodeClaim.Kind }} {{ .NodeClaim.APIVersion }}')).toBe('NodeClaim management.loft.sh/v1');
    expect(render('{{ index .NodeClaim.Labels "topology.kubernetes.io/zone" }} {{ .NodeClaim.Labels.tier }}')).toBe(
      'rack-2 gpu',
    );
    expect(render('{{ .NodeClaim.Annotations }}')).toBe('map[note:x]');
    expect(
      render('{{ .NodeClaim.Spec.ProviderRef }} {{ .NodeClaim.Spec.TypeRef }} {{ .NodeClaim.Spec.Project }}'),
    ).toBe('metal3-provider gpu-node research');
    expect(render('{{ index .NodeClaim.Spec.Properties "vcluster.com/os-image" }}')).toBe('ubuntu-noble');
  });

  it('has Go types: %T, kindOf and typed maps behave as on the Go structs', () => {
    expect(render('{{ printf "%T" .NodeClaim }} {{ printf "%T" .NodeClaim.Labels }} {{ printf "%T" .SSHKeys }}')).toBe(
      'v1.NodeClaim map[string]string []v1.SSHKey',
    );
    expect(render('{{ kindOf .NodeClaim }} {{ kindOf .NodeClaim.Spec.Properties }}')).toBe('struct map');
    expect(render('{{ printf "%T" . }}')).toBe('provider.Values');
  });

  it('gives zero values for what the NodeClaim leaves out, and nil for an absent reference', () => {
    expect(
      render('[{{ .NodeClaim.GenerateName }}][{{ .NodeClaim.Generation }}][{{ len .NodeClaim.Finalizers }}]'),
    ).toBe('[][0][0]');
    expect(render('{{ with .NodeClaim.Spec.EnvironmentRef }}{{ .Name }}{{ else }}none{{ end }}')).toBe('none');
  });

  it('keeps the other fields of the spec', () => {
    expect(
      render(
        '{{ .Project }} {{ index .Properties "metal3.vcluster.com/dns-servers" }} {{ .AllocatedIP }} {{ .Gateway }}',
      ),
    ).toBe('research 8.8.8.8 10.0.0.5 10.0.0.1');
    expect(render('{{ range .SSHKeys }}{{ .Name }}: {{ .PublicKey }}{{ end }}')).toBe(
      'alice: ssh-ed25519 AAAA alice@laptop',
    );
    expect(render('{{ .BareMetalHost }}')).toBe('map[]');
  });

  it('marshals a struct as the object JSON it came from', () => {
    expect(JSON.parse(render('{{ toJson .NodeClaim.ObjectMeta }}'))).toMatchObject({
      name: 'worker-7',
      namespace: 'team-a',
    });
    expect(render('{{ .NodeClaim | toYaml }}')).toContain('providerRef: metal3-provider');
  });

  it('fails on a field the type does not have, as Go does on a struct', () => {
    for (const [text, reason] of [
      ['{{ .NodeClaim.metadata.name }}', "can't evaluate field metadata in type v1.NodeClaim"],
      ['{{ .NodeClaim.Spec.Nope }}', "can't evaluate field Nope in type v1.NodeClaimSpec"],
      ['{{ .Hostname }}', "can't evaluate field Hostname in type provider.Values"],
      ['{{ range .SSHKeys }}{{ .Key }}{{ end }}', "can't evaluate field Key in type v1.SSHKey"],
    ] as const) {
      let error: unknown;
      try {
        render(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(TemplateExecError);
      expect((error as TemplateExecError).reason).toBe(reason);
    }
  });
});

/** Every field path a template can write: `.NodeClaim.Name` (promoted), `.SSHKeys[].PublicKey`, … */
function fieldPaths(t: GoType, prefix: string): string[] {
  if (t.kind === 'pointer') return fieldPaths(t.elem, prefix);
  if (t.kind === 'slice') return t.elem.kind === 'struct' ? fieldPaths(t.elem, `${prefix}[]`) : [];
  if (t.kind !== 'struct') return [];
  return t.fields.flatMap((f) => {
    const path = `${prefix}.${f.name}`;
    // An embedded struct's fields are documented as the parent's (`.NodeClaim.Name`).
    return [path, ...fieldPaths(f.type, f.embedded ? prefix : path)];
  });
}

describe('the Values documentation', () => {
  it('documents every field with its type and an example', () => {
    const docs = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../docs/templates.md'), 'utf8');
    const rows = new Map(
      docs
        .split('\n')
        .filter((line) => line.startsWith('| `.'))
        .map((line) => [/^\| `([^`]+)`/.exec(line)?.[1] ?? '', line.split(' | ')]),
    );
    const paths = [...new Set(fieldPaths(VALUES_TYPE, ''))];
    expect(paths.length).toBeGreaterThan(25);
    for (const path of paths) {
      const cells = rows.get(path);
      expect(cells, `docs/templates.md has no row for ${path}`).toBeDefined();
      expect(cells?.[3]?.trim(), `the example of ${path}`).not.toBe('');
    }
  });
});
