import type { DemoRun } from './runDemo.js';

/** What the user reads when the demo has settled: the outcome, the Web UI link and what to try next. */
export function demoSummary(run: DemoRun): string {
  const { stack, claims } = run;
  const ready = claims.filter((c) => c.phase === 'Ready');
  const stuck = claims.filter((c) => c.phase === 'Stuck');
  const query = encodeURIComponent('MachinePhase="Stuck"');
  const stuckList = `${stack.temporalUiUrl}/namespaces/${stack.temporalNamespace}/workflows?query=${query}`;
  const cli = 'node bin/metal3-provider.js';
  const lines = [
    '',
    `Demo summary (${run.seconds.toFixed(0)} s): ${ready.length} Machines Ready, ${stuck.length} Stuck, ` +
      `${claims.length - ready.length - stuck.length} other`,
    ...claims.map(
      (c) => `  ${c.name.padEnd(12)} ${c.nodeType.padEnd(13)} ${c.phase.padEnd(8)} ${c.host ?? ''} ${c.address ?? ''}`,
    ),
    '',
    `Stuck Machines in the Temporal Web UI: ${stuckList}`,
    '  Open one: its current details say what failed and which signal to send.',
    '',
    'Try next (in another shell):',
    `  export KUBECONFIG=${stack.kubeconfigPath} TEMPORAL_ADDRESS=${stack.temporalAddress} TEMPORAL_NAMESPACE=${stack.temporalNamespace}`,
    `  ${cli} machine list`,
    `  ${cli} machine status compute-4`,
    `  ${cli} machine retry compute-4 --other-host     # claim another server`,
    `  ${cli} machine release compute-1`,
    `  ${cli} check                                          # fleet invariants`,
    `  ${cli} reclaim run --dry-run`,
    '',
    'Press Ctrl-C to stop the demo and remove everything it started.',
  ];
  return `${lines.join('\n')}\n`;
}
