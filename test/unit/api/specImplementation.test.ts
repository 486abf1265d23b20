import { describe, expect, it } from 'vitest';
import { PROPERTY_CATALOGUE } from '../../../api/properties/catalogue.js';
import { DOCUMENT_KINDS } from '../../../api/validateDocument.js';
import { specImplementationSection } from '../../../scripts/specImplementation.js';

describe("the reference's map from the spec to the code", () => {
  const section = specImplementationSection();

  it('names the modules of every document kind validate knows', () => {
    for (const kind of DOCUMENT_KINDS) expect(section.some((line) => line.startsWith(`| ${kind} | \``))).toBe(true);
    expect(section).toContain(
      '| BareMetalHost DHCP annotations (`metal3.vcluster.com/ip-address`, `gateway`, `dns-servers`, `ntp-servers`) | `api/bareMetalHostLease.ts`, `dhcp/hosts/bootHost.ts` |',
    );
  });

  it('lists every property of the catalogue with the modules found reading it', () => {
    for (const { key } of PROPERTY_CATALOGUE) {
      expect(section.find((line) => line.startsWith(`| \`${key}\` | `))).toMatch(/\| `[\w/.]+\.ts`/);
    }
    expect(section).toContainEqual(
      expect.stringMatching(/^\| `metal3-provider\.io\/join-secret` \| .*`activities\/machine\/resolveMachine\.ts`/),
    );
  });
});
