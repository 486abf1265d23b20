import { INVARIANTS } from './fleetInvariants.js';
import type { FleetCheckReport } from './readFleet.js';

/** The report an operator reads: what was looked at, then every violation grouped by invariant. */
export function formatCheckReport(report: FleetCheckReport): string {
  const lines = [
    `checked namespaces ${report.namespaces.join(', ') || '(none)'}: ${report.hosts} hosts, ` +
      `${report.allocations} address allocations, ${report.secrets} Machine Secrets, ${report.machines} Machines; ` +
      `${report.checks} checks`,
    `address allocations by family: ${report.allocationFamilies.ipv4} IPv4, ${report.allocationFamilies.ipv6} IPv6`,
  ];
  for (const [invariant, description] of Object.entries(INVARIANTS)) {
    const violations = report.violations.filter((v) => v.invariant === invariant);
    lines.push(`${violations.length === 0 ? 'ok  ' : 'FAIL'} ${invariant}: ${description}`);
    for (const violation of violations) lines.push(`       ${violation.object}: ${violation.message}`);
  }
  const count = report.violations.length;
  lines.push(count === 0 ? 'all invariants hold' : `${count} violation${count === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
