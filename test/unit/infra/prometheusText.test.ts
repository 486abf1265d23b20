import { describe, expect, it } from 'vitest';
import { MetricNameError, renderPrometheusText } from '../../../worker/prometheusText.js';

describe('renderPrometheusText', () => {
  it('writes HELP, TYPE and one line per sample with labels in the order given', () => {
    const text = renderPrometheusText([
      {
        name: 'metal3_boot_dhcp_replies_total',
        help: 'DHCP replies sent, by message type.',
        type: 'counter',
        samples: [
          { labels: { type: 'offer' }, value: 3 },
          { labels: { type: 'ack' }, value: 2 },
        ],
      },
      { name: 'metal3_boot_tftp_active_transfers', help: 'Active.', type: 'gauge', samples: [{ value: 0 }] },
    ]);
    expect(text).toBe(
      [
        '# HELP metal3_boot_dhcp_replies_total DHCP replies sent, by message type.',
        '# TYPE metal3_boot_dhcp_replies_total counter',
        'metal3_boot_dhcp_replies_total{type="offer"} 3',
        'metal3_boot_dhcp_replies_total{type="ack"} 2',
        '# HELP metal3_boot_tftp_active_transfers Active.',
        '# TYPE metal3_boot_tftp_active_transfers gauge',
        'metal3_boot_tftp_active_transfers 0',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and help text, and spells special values as Prometheus does', () => {
    const text = renderPrometheusText([
      {
        name: 'x',
        help: 'line one\nback\\slash',
        type: 'gauge',
        samples: [{ labels: { reason: 'say "hi"\\\n' }, value: Infinity }, { value: NaN }, { value: -Infinity }],
      },
    ]);
    expect(text).toContain('# HELP x line one\\nback\\\\slash\n');
    expect(text).toContain('x{reason="say \\"hi\\"\\\\\\n"} +Inf\n');
    expect(text).toContain('x NaN\n');
    expect(text).toContain('x -Inf\n');
  });

  it('keeps a family without samples (its HELP and TYPE) and renders nothing for no families', () => {
    expect(renderPrometheusText([{ name: 'empty_total', help: 'h', type: 'counter', samples: [] }])).toBe(
      '# HELP empty_total h\n# TYPE empty_total counter\n',
    );
    expect(renderPrometheusText([])).toBe('');
  });

  it('refuses names the format cannot carry', () => {
    expect(() => renderPrometheusText([{ name: 'bad-name', help: '', type: 'counter', samples: [] }])).toThrow(
      MetricNameError,
    );
    expect(() =>
      renderPrometheusText([
        { name: 'ok', help: '', type: 'counter', samples: [{ labels: { 'a-b': 'x' }, value: 1 }] },
      ]),
    ).toThrow(MetricNameError);
  });
});
