import type { DhcpServerStats } from '../dhcp/dhcpv4/dhcpServer.js';
import type { HttpBootStats } from '../dhcp/httpboot/httpBootServer.js';
import type { ProxyStats } from '../dhcp/proxy/proxyStats.js';
import type { TftpServerStats } from '../dhcp/tftp/tftpServer.js';
import type { MetricFamily, Sample } from './prometheusText.js';

/** The boot servers' counters at one moment; absent servers (TFTP off, no callback proxy) are left out. */
export interface BootStatsSnapshot {
  dhcp: DhcpServerStats;
  tftp?: TftpServerStats;
  http: HttpBootStats;
  /** By proxy name: `ironic-http`, `callback`. */
  proxies: Record<string, ProxyStats>;
}

const DHCP_TYPE_NAMES: Record<number, string> = {
  1: 'discover',
  2: 'offer',
  3: 'request',
  4: 'decline',
  5: 'ack',
  6: 'nak',
  7: 'release',
  8: 'inform',
};

function byLabel(
  counters: Partial<Record<string | number, number>>,
  label: string,
  name: (key: string) => string = (key) => key,
): Sample[] {
  return Object.entries(counters).map(([key, value]) => ({ labels: { [label]: name(key) }, value: value ?? 0 }));
}

const counter = (name: string, help: string, samples: Sample[]): MetricFamily => ({
  name,
  help,
  type: 'counter',
  samples,
});

function dhcpFamilies(stats: DhcpServerStats): MetricFamily[] {
  return [
    counter('metal3_boot_dhcp_received_total', 'DHCP packets received.', [{ value: stats.received }]),
    counter(
      'metal3_boot_dhcp_replies_total',
      'DHCP replies sent, by message type.',
      byLabel(stats.repliedByType, 'type', (key) => DHCP_TYPE_NAMES[Number(key)] ?? key),
    ),
    counter(
      'metal3_boot_dhcp_dropped_total',
      'DHCP packets not answered, by reason (malformed packets, and requests not for us or not answerable).',
      [...byLabel(stats.dropped, 'reason'), ...byLabel(stats.ignored, 'reason')],
    ),
  ];
}

function tftpFamilies(stats: TftpServerStats): MetricFamily[] {
  return [
    counter('metal3_boot_tftp_requests_total', 'TFTP read requests.', [{ value: stats.requests }]),
    counter('metal3_boot_tftp_transfers_total', 'TFTP transfers ended, by result.', [
      { labels: { result: 'completed' }, value: stats.completed },
      { labels: { result: 'failed' }, value: stats.failed },
    ]),
    {
      name: 'metal3_boot_tftp_active_transfers',
      help: 'TFTP transfers in progress.',
      type: 'gauge',
      samples: [{ value: stats.active }],
    },
    counter('metal3_boot_tftp_sent_bytes_total', 'Bytes of completed TFTP transfers.', [{ value: stats.sentBytes }]),
    counter('metal3_boot_tftp_refused_total', 'TFTP requests refused, by reason.', byLabel(stats.refused, 'reason')),
    counter('metal3_boot_tftp_dropped_total', 'TFTP packets dropped, by reason.', byLabel(stats.dropped, 'reason')),
  ];
}

function httpFamilies(stats: HttpBootStats): MetricFamily[] {
  return [
    counter('metal3_boot_http_requests_total', 'HTTP boot requests (boot files, iPXE scripts, proxied).', [
      { value: stats.requests },
    ]),
    counter(
      'metal3_boot_http_responses_total',
      'HTTP boot responses ended, by status code.',
      byLabel(stats.responses, 'code'),
    ),
    counter('metal3_boot_http_sent_bytes_total', 'Bytes the HTTP boot server sent, headers included.', [
      { value: stats.sentBytes },
    ]),
  ];
}

function proxyFamilies(proxies: Record<string, ProxyStats>): MetricFamily[] {
  const each = (sample: (proxy: string, stats: ProxyStats) => Sample[]): Sample[] =>
    Object.entries(proxies).flatMap(([proxy, stats]) => sample(proxy, stats));
  const outcomes = (proxy: string, counters: Record<string, number>, outcome: string, key: string): Sample[] =>
    Object.entries(counters).map(([name, value]) => ({ labels: { proxy, outcome, [key]: name }, value }));
  return [
    counter(
      'metal3_boot_proxy_requests_total',
      'Requests that reached a proxy.',
      each((proxy, s) => [{ labels: { proxy }, value: s.requests }]),
    ),
    counter(
      'metal3_boot_proxy_outcomes_total',
      'Proxy requests by outcome: forwarded (by route), refused or failed (by reason), client-aborted.',
      each((proxy, s) => [
        ...outcomes(proxy, s.forwarded, 'forwarded', 'route'),
        ...outcomes(proxy, s.refused, 'refused', 'reason'),
        ...outcomes(proxy, s.failed, 'failed', 'reason'),
        { labels: { proxy, outcome: 'client-aborted' }, value: s.clientAborted },
      ]),
    ),
  ];
}

/** The boot servers' counters as metric families. */
export function bootMetricFamilies(snapshot: BootStatsSnapshot): MetricFamily[] {
  return [
    ...dhcpFamilies(snapshot.dhcp),
    ...(snapshot.tftp ? tftpFamilies(snapshot.tftp) : []),
    ...httpFamilies(snapshot.http),
    ...proxyFamilies(snapshot.proxies),
  ];
}
