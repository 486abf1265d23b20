import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BareMetalHost } from '../../../api/bareMetalHost.js';
import { renderTemplate } from '../../../packages/go-template/src/index.js';
import { templateHostView } from '../../../render/templateHostView.js';
import { readExample } from './fixtures.js';

const example = BareMetalHost.parse(parse(readExample('baremetalhost.yaml')));
const host = BareMetalHost.parse({
  ...example,
  metadata: {
    ...example.metadata,
    labels: { rack: 'r1' },
    annotations: {
      'metal3-provider.io/original': '{"online":false}',
      'baremetalhost.metal3.io/status': '{"goodCredentials":{"credentials":{"name":"server-01-bmc-secret"}}}',
      'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{"bmc":{"address":"redfish://10.1.1.1"}}}',
      'metal3.vcluster.com/ip-address': '10.0.0.5/24',
    },
  },
  status: {
    goodCredentials: { credentials: { name: 'server-01-bmc-secret', namespace: 'metal3' } },
    triedCredentials: { credentials: { name: 'server-01-bmc-secret', namespace: 'metal3' } },
    hardwareProfile: 'unknown',
  },
});

describe('the BareMetalHost templates see', () => {
  it('leaves out the BMC address, the credentials and the provider bookkeeping', () => {
    const text = JSON.stringify(templateHostView(host));
    expect(example.spec.bmc?.address).toBeTruthy();
    expect(text).not.toContain(example.spec.bmc?.address ?? 'no address');
    expect(text).not.toContain('bmc-secret');
    expect(text).not.toContain('redfish://');
    expect(text).not.toContain('metal3-provider.io/');
  });

  it('keeps what templates use: name, labels, boot MAC, the IP annotations and the rest of the status', () => {
    const view = templateHostView(host);
    const out = renderTemplate(
      't',
      '{{ .metadata.name }} {{ .metadata.labels.rack }} {{ .spec.bootMACAddress }} ' +
        '{{ index .metadata.annotations "metal3.vcluster.com/ip-address" }} {{ .status.hardwareProfile }} [{{ .spec.bmc }}]',
      view,
      { missingKey: 'default' },
    );
    expect(out).toBe(`server-01 r1 ${example.spec.bootMACAddress ?? ''} 10.0.0.5/24 unknown [<no value>]`);
  });

  it('does not change the host it was given', () => {
    const before = JSON.stringify(host);
    templateHostView(host);
    expect(JSON.stringify(host)).toBe(before);
  });
});
