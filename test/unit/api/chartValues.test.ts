import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUNDLED_CHARTS_DIR, BUNDLED_CHART_DIRS, readChartSchema } from '../../../api/charts/bundledCharts.js';
import { chartValuesProblems } from '../../../api/charts/chartValues.js';
import { UnsupportedSchemaError, assertSupported } from '../../../api/charts/jsonSchema.js';
import { formatIssue } from '../../../api/issues.js';
import { parseYamlMapping } from '../../../api/properties/documents.js';
import { buildProgram } from '../../../cli/program.js';
import {
  BootServerConfigError,
  resolveBootServerConfig,
  serverDefaults,
} from '../../../dhcp/config/bootServerConfig.js';
import { readSpecExample } from '../../support/specExamples.js';

const dhcp = (values: unknown): string[] => chartValuesProblems('dhcp', values).map(formatIssue);

async function specDhcpValues(file: string): Promise<Record<string, unknown>> {
  const fragment = parse(await readSpecExample(file)) as { deploy: { dhcp: { helmValues: string } } };
  return parseYamlMapping(fragment.deploy.dhcp.helmValues);
}

describe("the DHCP server's helmValues, against the chart's own values.schema.json", () => {
  it.each([
    'deploy-dhcp-bridge-fragment.yaml',
    'deploy-dhcp-macvlan-fragment.yaml',
    'deploy-dhcp-hostnetwork-fragment.yaml',
  ])("accepts the spec's %s", async (file) => {
    expect(dhcp(await specDhcpValues(file))).toEqual([]);
  });

  it("accepts the chart's own defaults", async () => {
    const defaults = parse(
      await readFile(join(BUNDLED_CHARTS_DIR, BUNDLED_CHART_DIRS.dhcp, 'values.yaml'), 'utf8'),
    ) as unknown;
    expect(dhcp(defaults)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    [
      'a vip without its prefix',
      { networkAttachmentDefinition: { vip: '192.168.100.2' } },
      'networkAttachmentDefinition.vip: "192.168.100.2" is not an IPv4 address with its prefix length, e.g. 192.168.100.3/24',
    ],
    [
      'a vip that is no address',
      { networkAttachmentDefinition: { vip: '192.168.100.256/24' } },
      'networkAttachmentDefinition.vip: "192.168.100.256/24" is not an IPv4 address with its prefix length, e.g. 192.168.100.3/24',
    ],
    [
      'a prefix past 32',
      { networkAttachmentDefinition: { vip: '10.0.0.2/33' } },
      'networkAttachmentDefinition.vip: "10.0.0.2/33" is not an IPv4 address with its prefix length, e.g. 192.168.100.3/24',
    ],
    [
      'a CNI configuration that does not parse as JSON',
      { networkAttachmentDefinition: { config: '{\n  "type": "bridge"\n  "bridge": "br0"\n}' } },
      "networkAttachmentDefinition.config: is not valid JSON: Expected ',' or '}' after property value (line 3, column 3 of the value)",
    ],
    ['hostNetwork as a string', { hostNetwork: 'true' }, 'hostNetwork: expected true or false, got "true"'],
    [
      'a flag the server does not know',
      { extraArgs: ['--inspector-extra-kernel-params=console=ttyS0'] },
      'extraArgs[0]: "--inspector-extra-kernel-params=console=ttyS0" is not a flag of the boot server written as one item (--name=value): --inspector-collectors=…, --inspector-extra-kernel-param=…, --installer-extra-kernel-param=…, --tftp-busy-poll=…, --tftp-max-transfers=…, --tftp-max-transfers-per-client=…, --log-level=… or --callback-insecure-skip-verify',
    ],
    [
      'a flag and its value as two items',
      { extraArgs: ['--inspector-collectors', 'default,logs'] },
      'extraArgs[0]: "--inspector-collectors" is not a flag of the boot server written as one item (--name=value): --inspector-collectors=…, --inspector-extra-kernel-param=…, --installer-extra-kernel-param=…, --tftp-busy-poll=…, --tftp-max-transfers=…, --tftp-max-transfers-per-client=…, --log-level=… or --callback-insecure-skip-verify',
    ],
    [
      'a misspelt section key',
      { dhcp: { listenAdr: '0.0.0.0:67' } },
      'dhcp.listenAdr: unknown field "listenAdr"; did you mean "listenAddr"?',
    ],
    [
      'an image pull policy Kubernetes does not know',
      { image: { pullPolicy: 'always' } },
      'image.pullPolicy: "always" is not one of Always, IfNotPresent, Never; did you mean "Always"?',
    ],
  ])('refuses %s, at its path in the values', (_name, values, message) => {
    expect(dhcp(values)).toContain(message);
  });

  it('names in extraArgs only flags that `boot-server` has', async () => {
    const schema = readChartSchema(BUNDLED_CHART_DIRS.dhcp);
    const pattern = schema.properties?.extraArgs?.items?.pattern ?? '';
    const named = [...pattern.matchAll(/[a-z]+(?:-[a-z]+)+/g)].map(([flag]) => `--${flag}`);
    const bootServer = (await buildProgram()).commands.find((command) => command.name() === 'boot-server');
    const flags = bootServer?.options.map((option) => option.long) ?? [];
    expect(named).toEqual(
      expect.arrayContaining(['--inspector-extra-kernel-param', '--callback-insecure-skip-verify']),
    );
    for (const flag of named) expect(flags, `${flag} is not a boot-server option`).toContain(flag);
  });

  it('refuses a schema with a keyword it would not check', () => {
    expect(() => {
      assertSupported({ properties: { vip: { type: 'string', format: 'ipv4' } as never } }, 'x/values.schema.json');
    }).toThrow(UnsupportedSchemaError);
  });

  it('is the schema boot-server checks its values with, over the defaults it reads from the chart', async () => {
    const chart = parse(
      await readFile(join(BUNDLED_CHARTS_DIR, BUNDLED_CHART_DIRS.dhcp, 'values.yaml'), 'utf8'),
    ) as Record<string, unknown>;
    expect(serverDefaults()).toEqual({ dhcp: chart.dhcp, tftp: chart.tftp, http: chart.http, proxy: chart.proxy });
    const problems = (values: unknown): readonly string[] => {
      try {
        resolveBootServerConfig({ values: [values], sets: [], flags: {}, env: { SERVER_IP: '10.0.0.2' } });
        return [];
      } catch (error) {
        if (!(error instanceof BootServerConfigError)) throw error;
        return error.problems;
      }
    };
    const ironic = { ironicHttpUrl: 'http://ironic:6180' };
    expect(problems({ proxy: ironic })).toEqual([]);
    expect(problems({ dhcp: { listenAdr: '0.0.0.0:67' }, proxy: ironic })).toEqual([
      'dhcp.listenAdr: unknown field "listenAdr"; did you mean "listenAddr"?',
    ]);
    expect(problems({ networkAttachmentDefinition: { vip: '10.0.0.2' }, proxy: ironic })).toEqual([
      'networkAttachmentDefinition.vip: "10.0.0.2" is not an IPv4 address with its prefix length, e.g. 192.168.100.3/24',
    ]);
  });
});
