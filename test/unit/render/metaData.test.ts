import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NodeClaim } from '../../../api/nodeClaim.js';
import { renderMetaData } from '../../../render/metaData.js';
import { nodeClaim } from './fixtures.js';

describe('renderMetaData', () => {
  it('names the host after the claim and takes the instance id from its uid', () => {
    const read = nodeClaim('worker-5');
    const claim = NodeClaim.parse({
      ...read,
      metadata: { ...read.metadata, uid: '6f1c2d4e-0000-4000-8000-000000000001' },
    });
    expect(parse(renderMetaData(claim))).toEqual({
      uuid: '6f1c2d4e-0000-4000-8000-000000000001',
      'instance-id': '6f1c2d4e-0000-4000-8000-000000000001',
      hostname: 'worker-5',
      'local-hostname': 'worker-5',
      local_hostname: 'worker-5',
      name: 'worker-5',
    });
  });

  it('uses namespace.name as the instance id before the claim has a uid, never a slash', () => {
    expect(parse(renderMetaData(nodeClaim('worker-5')))).toMatchObject({ 'instance-id': 'team-a.worker-5' });
  });

  it('keeps names that YAML 1.1 reads as booleans strings', () => {
    expect(parse(renderMetaData(nodeClaim('on')), { version: '1.1' })).toMatchObject({ hostname: 'on', name: 'on' });
  });
});
