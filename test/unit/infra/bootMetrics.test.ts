import { describe, expect, it } from 'vitest';
import { newProxyStats } from '../../../dhcp/proxy/proxyStats.js';
import { bootMetricFamilies } from '../../../worker/bootMetrics.js';
import { renderPrometheusText } from '../../../worker/prometheusText.js';

const dhcp = {
  received: 7,
  replied: 3,
  repliedByType: { 2: 2, 5: 1 },
  dropped: { 'too-short': 1 },
  ignored: { 'unknown-mac': 3 },
} as const;
const http = { requests: 4, responses: { '200': 3, '404': 1 }, sentBytes: 1234 };

describe('bootMetricFamilies', () => {
  it('names DHCP replies by message type and drops by reason', () => {
    const text = renderPrometheusText(bootMetricFamilies({ dhcp, http, proxies: {} }));
    expect(text).toContain('metal3_boot_dhcp_received_total 7\n');
    expect(text).toContain('metal3_boot_dhcp_replies_total{type="offer"} 2\n');
    expect(text).toContain('metal3_boot_dhcp_replies_total{type="ack"} 1\n');
    expect(text).toContain('metal3_boot_dhcp_dropped_total{reason="too-short"} 1\n');
    expect(text).toContain('metal3_boot_dhcp_dropped_total{reason="unknown-mac"} 3\n');
    expect(text).toContain('metal3_boot_http_responses_total{code="404"} 1\n');
    expect(text).toContain('metal3_boot_http_sent_bytes_total 1234\n');
    // TFTP off: no TFTP families at all rather than zeros that look like an idle server.
    expect(text).not.toContain('tftp');
  });

  it('reports TFTP transfers by result with bytes, and each proxy by outcome', () => {
    const callback = newProxyStats();
    Object.assign(callback, {
      requests: 5,
      forwarded: { heartbeat: 2 },
      refused: { 'unknown-client': 1 },
      failed: { 'upstream-error': 1 },
      clientAborted: 1,
    });
    const text = renderPrometheusText(
      bootMetricFamilies({
        dhcp,
        http,
        tftp: {
          requests: 3,
          completed: 2,
          failed: 1,
          active: 0,
          sentBytes: 4096,
          refused: { 'not-found': 1 },
          dropped: {},
        },
        proxies: { 'ironic-http': newProxyStats(), callback },
      }),
    );
    expect(text).toContain('metal3_boot_tftp_transfers_total{result="completed"} 2\n');
    expect(text).toContain('metal3_boot_tftp_transfers_total{result="failed"} 1\n');
    expect(text).toContain('metal3_boot_tftp_sent_bytes_total 4096\n');
    expect(text).toContain('metal3_boot_tftp_refused_total{reason="not-found"} 1\n');
    expect(text).toContain('metal3_boot_proxy_requests_total{proxy="ironic-http"} 0\n');
    expect(text).toContain('metal3_boot_proxy_requests_total{proxy="callback"} 5\n');
    expect(text).toContain(
      'metal3_boot_proxy_outcomes_total{proxy="callback",outcome="forwarded",route="heartbeat"} 2\n',
    );
    expect(text).toContain(
      'metal3_boot_proxy_outcomes_total{proxy="callback",outcome="refused",reason="unknown-client"} 1\n',
    );
    expect(text).toContain(
      'metal3_boot_proxy_outcomes_total{proxy="callback",outcome="failed",reason="upstream-error"} 1\n',
    );
    expect(text).toContain('metal3_boot_proxy_outcomes_total{proxy="callback",outcome="client-aborted"} 1\n');
  });
});
