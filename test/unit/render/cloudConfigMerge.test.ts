import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mergeCloudConfig } from '../../../render/cloudConfigMerge.js';
import { DocumentFormatError } from '../../../render/errors.js';
import { ed25519Key } from './fixtures.js';

const key = ed25519Key(7, 'ops@bastion');
const additions = { sshAuthorizedKeys: [key], runcmd: ['join --token t'] };
const read = (text: string) => parse(text, { version: '1.1' }) as Record<string, unknown>;

describe('mergeCloudConfig', () => {
  it('appends the keys and the commands after the user’s, keeping the user’s comments', () => {
    const user = '#cloud-config\n# packages first\npackages: [git]\nruncmd:\n  - [sh, -c, "echo one"]\n  - echo two\n';
    const merged = mergeCloudConfig(user, additions);
    expect(merged.startsWith('#cloud-config\n# packages first\n')).toBe(true);
    expect(read(merged)).toEqual({
      packages: ['git'],
      runcmd: [['sh', '-c', 'echo one'], 'echo two', 'join --token t'],
      ssh_authorized_keys: [key],
    });
  });

  it('adds a key once, even when the user listed it with another comment', () => {
    const sameKeyOtherComment = key.replace('ops@bastion', 'someone-else');
    const other = ed25519Key(8, 'dev@laptop');
    const merged = mergeCloudConfig(`#cloud-config\nssh_authorized_keys:\n  - ${sameKeyOtherComment}\n`, {
      sshAuthorizedKeys: [key, other, other],
      runcmd: [],
    });
    expect(read(merged).ssh_authorized_keys).toEqual([sameKeyOtherComment, other]);
  });

  it('keeps YAML 1.1 values as cloud-init reads them: octal modes and yes/no', () => {
    const user = '#cloud-config\nwrite_files:\n  - path: /etc/x\n    permissions: 0644\n    append: yes\n';
    const merged = mergeCloudConfig(user, additions);
    expect(merged).toContain('permissions: 0644');
    expect(read(merged).write_files).toEqual([{ path: '/etc/x', permissions: 0o644, append: true }]);
  });

  it('does not fold long commands', () => {
    const long = `curl -sfL https://platform.example/join.sh | sh -s -- ${'--flag value '.repeat(20).trim()}`;
    const merged = mergeCloudConfig(undefined, { sshAuthorizedKeys: [], runcmd: [long] });
    expect(merged).toBe(`#cloud-config\nruncmd:\n  - ${long}\n`);
  });

  it('adds a header to a cloud-config written without one, and fills an empty runcmd', () => {
    expect(mergeCloudConfig('runcmd:\n', additions)).toBe(
      `#cloud-config\nruncmd:\n  - join --token t\nssh_authorized_keys:\n  - ${key}\n`,
    );
  });

  it('appends to flow-style lists', () => {
    expect(read(mergeCloudConfig('#cloud-config\nruncmd: [a, b]\n', additions)).runcmd).toEqual([
      'a',
      'b',
      'join --token t',
    ]);
  });

  it.each([
    ['#cloud-config\nssh_authorized_keys: ssh-ed25519 AAAA\n', 'ssh_authorized_keys must be a list of SSH public keys'],
    ['#cloud-config\n- a\n- b\n', 'must be a YAML mapping of cloud-config directives, not a list'],
    ['#cloud-config\nruncmd: [a\n', 'is not valid YAML'],
    ['#cloud-config\na: 1\na: 2\n', 'is not valid YAML: Map keys must be unique (line 3)'],
  ])('rejects %j', (user, message) => {
    expect(() => mergeCloudConfig(user, additions)).toThrow(DocumentFormatError);
    expect(() => mergeCloudConfig(user, additions)).toThrow(message);
  });
});
