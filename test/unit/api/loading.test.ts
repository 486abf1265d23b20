import { describe, expect, it } from 'vitest';
import { ConfigValidationError } from '../../../api/issues.js';
import { NodeProvider } from '../../../api/nodeProvider.js';
import { ConfigFileError, loadYamlConfig } from '../../../api/validateText.js';
import { loadYamlDocuments } from '../../../api/yaml/loadDocuments.js';
import { parseConfig } from '../../../api/zodIssues.js';

const SSH_KEY = `apiVersion: management.loft.sh/v1
kind: SSHKey
metadata:
  name: admin
spec:
  publicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@example
`;

describe('loading YAML configuration', () => {
  it('reads every document of a multi-document file, skipping empty ones', () => {
    const text = `# keys\n${SSH_KEY}---\n# nothing here\n---\n${SSH_KEY.replace('name: admin', 'name: ops')}`;
    const documents = loadYamlConfig(text, 'keys.yaml');
    expect(documents.map((d) => d.kind === 'SSHKey' && d.value.metadata.name)).toEqual(['admin', 'ops']);
  });

  it('maps a field path to the line of its key, or of its closest existing ancestor', () => {
    const [doc] = loadYamlDocuments(`a: 1\nlist:\n  - x: 1\n  - y:\n      z: 2\n`).documents;
    expect(doc?.lineOf(['list', 1, 'y', 'z'])).toBe(5);
    expect(doc?.lineOf(['list', 1, 'missing'])).toBe(4);
    expect(doc?.lineOf([])).toBe(1);
  });

  it('throws every problem of a file as file:line: path: message lines', () => {
    const text = `${SSH_KEY.replace('kind: SSHKey', 'kind: SshKey')}---\n${SSH_KEY.replace('publicKey', 'publickey')}`;
    expect(() => loadYamlConfig(text, 'keys.yaml')).toThrow(
      new ConfigFileError([
        {
          file: 'keys.yaml',
          line: 2,
          issue: { path: ['kind'], message: 'unknown kind "SshKey"; did you mean "SSHKey"?' },
        },
        { file: 'keys.yaml', line: 12, issue: { path: ['spec', 'publicKey'], message: 'is required' } },
        {
          file: 'keys.yaml',
          line: 13,
          issue: { path: ['spec', 'publickey'], message: 'unknown field "publickey"; did you mean "publicKey"?' },
        },
      ]),
    );
  });

  it('names the object and every problem when an object read at run time is invalid', () => {
    const read = () =>
      parseConfig(
        NodeProvider,
        { apiVersion: 'management.loft.sh/v1', kind: 'NodeProvider', metadata: { name: 'p' }, spec: {} },
        'NodeProvider "p"',
      );
    expect(read).toThrow(ConfigValidationError);
    expect(read).toThrow('NodeProvider "p" is invalid:\n  spec.metal3: is required');
  });
});
