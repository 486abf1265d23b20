import type { Scenario } from './scenarios.js';

/** The README written beside the recordings: what was recorded, from which operator, and how. */
export function recordingsReadme(options: { version: string; commit: string; scenarios: Scenario[] }): string {
  const rows = options.scenarios.map((s) => `| \`${s.name}.json\` | ${s.description} |`);
  return [
    '# Recordings of the Bare Metal Operator',
    '',
    `What a real Bare Metal Operator (BMO) did to BareMetalHosts, their BMC Secrets and their status in each`,
    'conformance scenario, normalized (no timings, uids, resourceVersions, timestamps or namespaces).',
    '`test/integration/sim/bmoConformance.test.ts` runs the same scenarios against the simulator and compares.',
    '',
    `- BMO version: \`${options.version}\``,
    `- BMO commit: \`${options.commit}\``,
    '- BMO built with `go build` in its source checkout, run with `--test-mode` (fixture provisioner, no Ironic)',
    '  on one namespace per scenario against a kube-apiserver and etcd on loopback, with the CustomResourceDefinitions',
    '  of that checkout (`config/base/crds/bases`).',
    '',
    'Recorded with:',
    '',
    '```sh',
    'BMO_PATH=<checkout>/baremetal-operator BMO_SRC=<checkout> npm run record-bmo',
    '```',
    '',
    'See `docs/bmo-conformance.md` for the format, what is compared and the differences the simulator does not',
    'reproduce.',
    '',
    '| recording | scenario |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
