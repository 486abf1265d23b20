import { describe, expect, it } from 'vitest';
import { PropertyKeys } from '../../../api/properties/keys.js';
import { renderSpecInSnapshot } from '../../../activities/machine/machineSnapshot.js';
import { renderMachineData } from '../../../render/machineData.js';
import { buildRenderSpec } from '../../../render/renderSpec.js';
import { effectiveOf, nodeClaim } from '../render/fixtures.js';

const claim = nodeClaim('worker-7');
const effective = effectiveOf({
  [PropertyKeys.userDataTemplateSecret]: 'tenant-templates/base',
  [PropertyKeys.networkDataTemplate]: 'links: []\nnote: {{ .NodeClaim.Name }}\n',
});
const templates = { userDataTemplateSecret: '#cloud-config\nhostname: {{ .NodeClaim.Name }}\n' };

describe('the snapshot Secret', () => {
  it('gives back the render spec the resolve step wrote', () => {
    const spec = buildRenderSpec({
      claim,
      effective,
      sshKeys: [],
      registrationCommands: ['join'],
      userDataSource: { kind: 'generated' },
      networkDataSource: { kind: 'generated', dnsServers: [], ntpServers: [], reservedAddresses: [] },
      templates: {},
    });
    expect(renderSpecInSnapshot({ renderSpec: JSON.stringify(spec) })).toEqual(spec);
  });

  it('parses a snapshot an earlier release wrote, so a Machine resolved before an upgrade renders the same', () => {
    const earlier = { claim, effective, sshKeys: [], templates, registrationCommands: ['join --token t'] };
    const spec = renderSpecInSnapshot({ snapshot: JSON.stringify(earlier) });
    expect(spec?.userData).toMatchObject({
      property: PropertyKeys.userDataTemplateSecret,
      secret: 'tenant-templates/base',
    });
    expect(spec?.networkData?.property).toBe(PropertyKeys.networkDataTemplate);
    const data = renderMachineData({ ...(spec ?? expect.fail('no spec')) });
    expect(data.userData).toContain('hostname: worker-7');
    expect(data.userData).toContain('join --token t');
    expect(data.networkData).toBe('links: []\nnote: worker-7\n');
  });

  it('holds nothing when the Secret has neither form', () => {
    expect(renderSpecInSnapshot({ other: '{}' })).toBeUndefined();
  });
});
