import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PropertyKeys } from '../../../api/properties/keys.js';
import { renderUserData } from '../../../render/userData.js';
import { buildTemplateValues } from '../../../render/templateValues.js';
import { ed25519Key, effectiveOf, nodeClaim, parseMultipart, renderInput } from './fixtures.js';

const key = ed25519Key(3, 'ops@bastion');
const additions = { sshAuthorizedKeys: [key], runcmd: ['join --token t'] };

function userData(text: string, withAdditions = additions): string {
  const input = renderInput({
    claim: nodeClaim('worker-3'),
    effective: effectiveOf({ [PropertyKeys.userDataTemplate]: text }),
    sshKeys: [],
    templates: {},
    registrationCommands: [],
  });
  return renderUserData({ document: input.userData, values: buildTemplateValues(input), additions: withAdditions });
}

function expectAdditionsPart(part: { headers: Map<string, string>; body: string } | undefined): void {
  expect(part?.headers.get('content-type')).toMatch(/^text\/cloud-config;/);
  expect(part?.headers.get('merge-type')).toBe('list(append)+dict(recurse_array)+str()');
  expect(part?.body.split('\n')[0]).toBe('#cloud-config');
  expect(parse(part?.body ?? '')).toEqual({ ssh_authorized_keys: [key], runcmd: ['join --token t'] });
}

describe('user data that is not cloud-config', () => {
  it('sends a shell script with the additions as MIME multipart, script first', () => {
    const script = '#!/bin/bash\necho "hello from {{ .NodeClaim.Name }}"\n';
    const result = userData(script);
    expect(result.slice(0, 4096).toLowerCase()).toContain('mime-version:');
    const { headers, parts } = parseMultipart(result);
    expect(headers.get('content-type')).toMatch(/^multipart\/mixed; boundary="/);
    expect(parts).toHaveLength(2);
    expect(parts[0]?.headers.get('content-type')).toBe('text/x-shellscript; charset="us-ascii"');
    expect(parts[0]?.body).toBe('#!/bin/bash\necho "hello from worker-3"\n');
    expectAdditionsPart(parts[1]);
  });

  it('drops leading blank lines that would hide the #! header', () => {
    const { parts } = parseMultipart(userData('{{ if true }}\n#!/bin/sh\n{{ end }}'));
    expect(parts[0]?.body).toBe('#!/bin/sh\n');
  });

  it.each([
    ['#include\nhttps://example.com/a.yaml\n', 'text/x-include-url'],
    ['#cloud-boothook\n#!/bin/sh\necho early\n', 'text/cloud-boothook'],
    ['#cloud-config-archive\n- type: text/cloud-config\n  content: "a: 1"\n', 'text/cloud-config-archive'],
    ['## template: jinja\n#cloud-config\nhostname: {{ "{{" }} v1.local_hostname }}\n', 'text/jinja2'],
  ])('gives %j the content type cloud-init expects', (text, contentType) => {
    expect(parseMultipart(userData(text)).parts[0]?.headers.get('content-type')).toBe(
      `${contentType}; charset="us-ascii"`,
    );
  });

  it('adds its part last to a multipart document the user wrote', () => {
    const user = [
      'Content-Type: multipart/mixed; boundary="XYZ"',
      'MIME-Version: 1.0',
      '',
      '--XYZ',
      'Content-Type: text/cloud-config',
      '',
      '#cloud-config',
      'runcmd: [user-command]',
      '--XYZ',
      'Content-Type: text/x-shellscript',
      '',
      '#!/bin/sh',
      'echo user',
      '--XYZ--',
      '',
    ].join('\n');
    const result = userData(user);
    expect(result.startsWith(user.slice(0, user.indexOf('--XYZ--')))).toBe(true);
    const { parts } = parseMultipart(result);
    expect(parts.map((part) => part.headers.get('content-type'))).toEqual([
      'text/cloud-config',
      'text/x-shellscript',
      'text/cloud-config; charset="us-ascii"',
    ]);
    expectAdditionsPart(parts[2]);
  });

  it('wraps a single-part MIME message together with its part', () => {
    const user = 'Content-Type: text/x-shellscript\nMIME-Version: 1.0\n\n#!/bin/sh\necho single\n';
    const { parts } = parseMultipart(userData(user));
    expect(parts[0]?.headers.get('content-type')).toBe('text/x-shellscript');
    expect(parts[0]?.body).toBe('#!/bin/sh\necho single\n');
    expectAdditionsPart(parts[1]);
  });

  it('chooses a boundary the script does not contain', () => {
    const script = '#!/bin/sh\necho "--==METAL3-PROVIDER-BOUNDARY=="\n';
    const { parts } = parseMultipart(userData(script));
    expect(parts).toHaveLength(2);
    expect(parts[0]?.body).toBe(script);
  });

  it('leaves a script unchanged when there is nothing to add', () => {
    expect(userData('#!/bin/sh\necho hi\n', { sshAuthorizedKeys: [], runcmd: [] })).toBe('#!/bin/sh\necho hi\n');
  });

  it('rejects a multipart document without its closing boundary', () => {
    expect(() => userData('Content-Type: multipart/mixed; boundary=B\nMIME-Version: 1.0\n\n--B\n\nx\n')).toThrow(
      'vcluster.com/user-data-template (set in node type "compute-node" properties): the rendered user data is a MIME multipart document without its closing boundary line "--B--"',
    );
  });
});
