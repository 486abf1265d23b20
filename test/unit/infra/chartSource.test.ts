import { describe, expect, it } from 'vitest';
import { chartArgs, chartSource } from '../../../activities/infra/chartSource.js';

describe('chartSource', () => {
  it('uses the bundled chart directory when nothing is overridden', () => {
    expect(chartSource('dhcp', undefined, '/charts')).toEqual({
      kind: 'bundled',
      dir: '/charts/metal3-provider-dhcp-server',
    });
    expect(chartArgs(chartSource('metal3', {}, '/charts'))).toEqual(['/charts/metal3']);
  });

  it('takes the spec defaults for the coordinates not overridden', () => {
    const source = chartSource('dhcp', { version: '1.2.3' }, '/charts');
    expect(source).toEqual({
      kind: 'repository',
      repo: 'oci://ghcr.io/loft-sh/charts',
      chart: 'vcluster-platform-dhcp-server',
      version: '1.2.3',
    });
    expect(chartArgs(source)).toEqual([
      'oci://ghcr.io/loft-sh/charts/vcluster-platform-dhcp-server',
      '--version',
      '1.2.3',
    ]);
  });

  it('passes an HTTP repository with --repo', () => {
    expect(chartArgs(chartSource('dhcp', { chartRepo: 'https://charts.example/', chart: 'dhcp' }, '/charts'))).toEqual([
      'dhcp',
      '--repo',
      'https://charts.example/',
    ]);
  });
});
