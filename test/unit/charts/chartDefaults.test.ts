import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../../devstack/devstack.js';

// What the charts say before any rendering (the rendered objects are checked in
// test/integration/charts/chartSecurity.test.ts, which needs helm).
const chartsDir = join(projectRoot, 'charts');
const CHARTS = ['metal3', 'metal3-provider', 'metal3-provider-dhcp-server', 'multus'];

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? files(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat();
}

async function values(chart: string): Promise<Record<string, unknown>> {
  return parse(await readFile(join(chartsDir, chart, 'values.yaml'), 'utf8')) as Record<string, unknown>;
}

describe('chart defaults', () => {
  it('no template or values file refers to cluster-admin (but in comments), and only Multus runs privileged', async () => {
    const found: string[] = [];
    for (const file of await files(chartsDir)) {
      if (!/\.(ya?ml|tpl)$/.test(file)) continue;
      const text = await readFile(file, 'utf8');
      const at = relative(chartsDir, file);
      const code = text
        .split('\n')
        .filter((line) => !/^\s*#/.test(line))
        .join('\n');
      if (code.includes('cluster-admin')) found.push(`${at}: cluster-admin`);
      const privileged = text.match(/^\s*privileged: true/gm)?.length ?? 0;
      if (privileged > 0) found.push(`${at}: privileged x${privileged}`);
    }
    expect(found).toEqual(['multus/templates/daemonset.yaml: privileged x1']);
  });

  it.each(CHARTS.filter((c) => c !== 'multus'))('%s: NetworkPolicies are on by default', async (chart) => {
    expect((await values(chart)).networkPolicy).toMatchObject({ enabled: true });
  });

  it('the provider: platform namespace loft, no tenant namespace, no codec token until one is named', async () => {
    const provider = await values('metal3-provider');
    expect(provider.platformNamespace).toBe('loft');
    expect(provider.tenantNamespaces).toEqual([]);
    expect(provider.hostNamespaces).toEqual([]);
    expect(provider.codecServer).toMatchObject({ enabled: false, token: { secretName: '' } });
    expect(provider.podSecurityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(provider.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(provider.bootWorker).not.toHaveProperty('clusterRole');
  });

  it('the DHCP server: every capability dropped but NET_BIND_SERVICE', async () => {
    const dhcp = await values('metal3-provider-dhcp-server');
    expect(dhcp.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    });
    expect(dhcp.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });
});
