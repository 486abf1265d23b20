import { describe, expect, it } from 'vitest';
import { deletedNames } from '../../../k8s/secrets.js';

describe('deletedNames: the Secrets a collection delete answered it deleted', () => {
  it('reads the names of a metadata-only answer and of a whole one', () => {
    const metadataOnly = {
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '42' },
      items: [
        { kind: 'PartialObjectMetadata', metadata: { name: 'm1-user-data', labels: { a: 'b' } } },
        { kind: 'PartialObjectMetadata', metadata: { name: 'm1-network-data' } },
      ],
    };
    const whole = {
      kind: 'SecretList',
      apiVersion: 'v1',
      items: [{ metadata: { name: 'm1-snapshot' }, data: { userData: 'c2VjcmV0' } }],
    };
    expect(deletedNames(JSON.stringify(metadataOnly))).toEqual(['m1-user-data', 'm1-network-data']);
    expect(deletedNames(JSON.stringify(whole))).toEqual(['m1-snapshot']);
  });

  it('answers none deleted for an empty list, whose items the API server leaves out or sends as null', () => {
    expect(deletedNames(JSON.stringify({ kind: 'PartialObjectMetadataList', items: null }))).toEqual([]);
    expect(deletedNames(JSON.stringify({ kind: 'SecretList' }))).toEqual([]);
  });

  it('refuses an answer that is not a list, naming the field, rather than report nothing deleted', () => {
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Success' };
    expect(() => deletedNames(JSON.stringify(status))).toThrow(/other than the list of what it deleted: kind:/);
    const nameless = { kind: 'SecretList', items: [{ metadata: {} }] };
    expect(() => deletedNames(JSON.stringify(nameless))).toThrow(/items\.0\.metadata\.name/);
  });
});
