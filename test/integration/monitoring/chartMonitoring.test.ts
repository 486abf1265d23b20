import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chartsDir, helmTemplate, runHelmWithValues } from '../../support/helmCli.js';
import { useTestEnv } from '../../support/testEnv.js';

// The provider chart's PrometheusRule and dashboard ConfigMap: off by default; when on, they carry the
// chart's files/alerts.yaml and files/fleet-dashboard.json unchanged (one source), with the labels the
// Prometheus Operator's ruleSelector and Grafana's dashboard sidecar select on.
const env = useTestEnv();
const filesDir = join(chartsDir, 'metal3-provider', 'files');
const ON = `
monitoring:
  prometheusRule:
    enabled: true
    labels: {release: kube-prometheus-stack}
  dashboard:
    enabled: true
    annotations: {grafana_folder: Metal3}
`;

describe('metal3-provider chart: alerts and dashboard', () => {
  it('renders neither by default', async () => {
    const objects = await helmTemplate(env.helmPath, 'metal3-provider', { release: 'mon', namespace: env.namespace });
    expect(objects.filter((o) => o.kind === 'PrometheusRule')).toEqual([]);
    expect(objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-dashboard'))).toEqual([]);
  });

  it('renders the rules file as a PrometheusRule and the dashboard file as a sidecar ConfigMap, and lints clean', async () => {
    const objects = await helmTemplate(env.helmPath, 'metal3-provider', {
      release: 'mon',
      namespace: env.namespace,
      values: [ON],
    });
    const rules = parse(await readFile(join(filesDir, 'alerts.yaml'), 'utf8')) as { groups: unknown[] };
    const [rule, ...moreRules] = objects.filter((o) => o.kind === 'PrometheusRule');
    expect(moreRules).toEqual([]);
    expect(rule?.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule?.metadata.namespace).toBe(env.namespace);
    expect((rule?.metadata.labels as Record<string, string>).release).toBe('kube-prometheus-stack');
    expect((rule?.spec as { groups: unknown[] }).groups).toEqual(rules.groups);

    const dashboard = JSON.parse(await readFile(join(filesDir, 'fleet-dashboard.json'), 'utf8')) as unknown;
    const [map, ...moreMaps] = objects.filter(
      (o) => o.kind === 'ConfigMap' && o.metadata.name === 'mon-metal3-provider-dashboard',
    );
    expect(moreMaps).toEqual([]);
    expect((map?.metadata.labels as Record<string, string>).grafana_dashboard).toBe('1');
    expect((map?.metadata.annotations as Record<string, string>).grafana_folder).toBe('Metal3');
    const data = map?.data as Record<string, string>;
    expect(Object.keys(data)).toEqual(['metal3-provider-fleet.json']);
    expect(JSON.parse(data['metal3-provider-fleet.json'] ?? '')).toEqual(dashboard);

    const { stdout, stderr } = await runHelmWithValues(
      env.helmPath,
      ['lint', join(chartsDir, 'metal3-provider')],
      [ON],
    );
    expect(`${stdout}${stderr}`).not.toMatch(/\[(ERROR|WARNING)\]/);
    expect(stdout).toContain('0 chart(s) failed');
  });
});
