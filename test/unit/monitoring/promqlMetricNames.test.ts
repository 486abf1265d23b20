import { describe, expect, it } from 'vitest';
import { metricNames, PromqlParseError } from './promqlMetricNames.js';

describe('metricNames (PromQL)', () => {
  it('finds bare selectors and selectors followed by { or [', () => {
    expect(metricNames('up')).toEqual(['up']);
    expect(metricNames('rate(metal3_boot_dhcp_received_total[5m])')).toEqual(['metal3_boot_dhcp_received_total']);
    expect(metricNames('metal3_boot_tftp_active_transfers{instance="a"} + temporal_num_pollers')).toEqual([
      'metal3_boot_tftp_active_transfers',
      'temporal_num_pollers',
    ]);
    expect(metricNames('a:recorded:rate5m > 0')).toEqual(['a:recorded:rate5m']);
  });

  it('leaves out functions, aggregations, their grouping labels and keywords', () => {
    expect(
      metricNames(
        'sum by (namespace, node_type) (increase(metal3_machine_phase_entries{phase="Stuck"}[15m])) > bool 0',
      ),
    ).toEqual(['metal3_machine_phase_entries']);
    expect(metricNames('sum without(instance)(rate(x_total[1m]))')).toEqual(['x_total']);
    expect(metricNames('histogram_quantile(0.9, sum by (le, node_type) (rate(d_bucket[5m])))')).toEqual(['d_bucket']);
    expect(metricNames('topk(5, a) and on (job) group_left (node) b unless ignoring(x) c or d')).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(metricNames('absent(temporal_num_pollers{task_queue="metal3-provisioning"})')).toEqual([
      'temporal_num_pollers',
    ]);
    expect(metricNames('a offset 1h30m + b @ start() + Inf + NaN')).toEqual(['a', 'b']);
    expect(metricNames('sum(a) by (job)')).toEqual(['a']);
  });

  it('never takes label names, label values, strings or numbers for metrics', () => {
    expect(metricNames('x{reason=~"unusable-host|bad_state", le="+Inf", a!="b}"}')).toEqual(['x']);
    expect(metricNames('label_replace(y, "dst", "$1", "src", "(other_metric)")')).toEqual(['y']);
    expect(metricNames('z > 3600000 and z < 1e3 and z != 0x1f')).toEqual(['z']);
    expect(metricNames('max_over_time(q[1h:5m])')).toEqual(['q']);
  });

  it('skips Grafana variables', () => {
    expect(
      metricNames('sum by (phase) (increase(metal3_machine_phase_entries{node_type=~"$node_type"}[$__rate_interval]))'),
    ).toEqual(['metal3_machine_phase_entries']);
    expect(metricNames('rate(v[${__range}]) * $factor')).toEqual(['v']);
  });

  it('reads {__name__="…"} and refuses a __name__ regex it cannot resolve', () => {
    expect(metricNames('{__name__="named_metric", job="x"}')).toEqual(['named_metric']);
    expect(() => metricNames('{__name__=~"metal3_.*"}')).toThrow(PromqlParseError);
  });

  it('refuses unterminated strings and brackets', () => {
    expect(() => metricNames('x{a="b}')).toThrow(PromqlParseError);
    expect(() => metricNames('rate(x[5m)')).toThrow(PromqlParseError);
    expect(() => metricNames('sum by (a')).toThrow(PromqlParseError);
  });
});
