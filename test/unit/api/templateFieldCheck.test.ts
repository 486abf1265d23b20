/**
 * A template that reads a field the Values object's Go types do not have is refused at validation,
 * with the field probably meant: on the platform (Go's text/template on structs) it would fail
 * when the Machine renders.
 */
import { describe, expect, it } from 'vitest';
import { PROPERTY_CATALOGUE } from '../../../api/properties/catalogue.js';
import { PropertyKeys } from '../../../api/properties/keys.js';
import { checkTemplateParses } from '../../../api/properties/templateCheck.js';
import { PropertyValueError } from '../../../api/properties/values.js';

const NAME = 'vcluster.com/user-data-template';

function problem(text: string): string | undefined {
  try {
    checkTemplateParses(NAME, text);
    return undefined;
  } catch (e) {
    if (!(e instanceof PropertyValueError)) throw e;
    return e.message;
  }
}

describe('field references in templates', () => {
  it('accepts the spec example and the fields the Values types have', () => {
    const spec = [
      '#cloud-config',
      'users:',
      '- name: ubuntu',
      '  ssh_authorized_keys:',
      '  {{- range .SSHKeys }}',
      '  - {{ .PublicKey }}',
      '  {{- end }}',
      'runcmd:',
      '- echo "Provisioning {{ .NodeClaim.Name }}"',
    ].join('\n');
    expect(problem(spec)).toBeUndefined();
    expect(
      problem(
        '{{ .NodeClaim.Namespace }} {{ .NodeClaim.Labels.zone }} {{ .NodeClaim.Spec.Properties }} {{ .BareMetalHost.metadata.name }} {{ .BareMetalHost.anything.at.all }} {{ index .Properties "x" }} {{ .AllocatedIP }} {{ .Gateway }} {{ .Project }} {{ with .NodeClaim.Spec.EnvironmentRef }}{{ .Name }}{{ end }}',
      ),
    ).toBeUndefined();
  });

  it('keeps the template text out of the message: a field name may be a secret, and the message reaches history', () => {
    expect(problem('{{ .NodeClaim.Name.SECRET_FIELD }}')).not.toContain('SECRET_FIELD');
    expect(problem('{{ $SECRET_VAR := .NodeClaim }}{{ $SECRET_VAR.Nmae }}')).not.toContain('SECRET_VAR');
  });

  it('refuses a JSON-style path with the Go field meant, at the column Go reports the field at', () => {
    expect(problem('#cloud-config\nhostname: {{ .NodeClaim.metadata.name }}')).toBe(
      `template: ${NAME}:2:23: can't evaluate a field in type v1.NodeClaim; did you mean .NodeClaim.Name?`,
    );
    expect(problem('{{ .NodeClaim.spec.typeRef }}')).toBe(
      `template: ${NAME}:1:13: can't evaluate a field in type v1.NodeClaim; did you mean .NodeClaim.Spec?`,
    );
  });

  it('suggests the closest name for a misspelt field', () => {
    expect(problem('{{ .NodeClaim.Nmae }}')).toContain('did you mean .NodeClaim.Name?');
    expect(problem('{{ .SSHkeys }}')).toContain(
      "can't evaluate a field in type provider.Values; did you mean .SSHKeys?",
    );
    expect(problem('{{ .AllocatedIp }}')).toContain('did you mean .AllocatedIP?');
    expect(problem('{{ .Unrelated }}')).toBe(`template: ${NAME}:1:3: can't evaluate a field in type provider.Values`);
  });

  it('follows dot through range and with, and variables', () => {
    expect(problem('{{ range .SSHKeys }}{{ .PublicKy }}{{ end }}')).toContain(
      "can't evaluate a field in type v1.SSHKey; did you mean .PublicKey?",
    );
    expect(problem('{{ range $i, $k := .SSHKeys }}{{ $k.Nmae }}{{ end }}')).toContain('did you mean $….Name?');
    expect(problem('{{ with .NodeClaim.Spec }}{{ .typeRef }}{{ end }}')).toContain('did you mean .TypeRef?');
    expect(problem('{{ $nc := .NodeClaim }}{{ $nc.Labelz }}')).toContain('did you mean $….Labels?');
    expect(problem('{{ range .SSHKeys }}{{ $.NodeClaim.Nmae }}{{ end }}')).toContain('did you mean $.NodeClaim.Name?');
    expect(problem('{{ .NodeClaim.Name.Length }}')).toContain("can't evaluate a field in type string");
  });

  it('does not guess where the type is not known', () => {
    expect(problem('{{ define "x" }}{{ .Anything }}{{ end }}{{ template "x" . }}')).toBeUndefined();
    expect(
      problem('{{ (dict "a" 1).b }} {{ $x := fromYaml "a: 1" }}{{ $x.b }} {{ range .Properties }}{{ . }}{{ end }}'),
    ).toBeUndefined();
  });

  it('names every bad reference, by position, in the catalogue check of both template properties', () => {
    for (const key of [PropertyKeys.userDataTemplate, PropertyKeys.networkDataTemplate]) {
      const entry = PROPERTY_CATALOGUE.find((spec) => spec.key === key);
      expect(() => entry?.check('{{ .NodeClaim.Nmae }}\n{{ .Gatway }}', key)).toThrow(
        `template: ${key}:1:13: can't evaluate a field in type v1.NodeClaim; did you mean .NodeClaim.Name?; template: ${key}:2:3: can't evaluate a field in type provider.Values; did you mean .Gateway?`,
      );
    }
  });
});
