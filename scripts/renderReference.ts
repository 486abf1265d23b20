import type { Command } from 'commander';
import { PROPERTY_CATALOGUE, LOCATION_NAMES } from '../api/properties/catalogue.js';
import { buildProgram } from '../cli/program.js';
import { serverDefaults } from '../dhcp/config/bootServerConfig.js';
import { HOST_ANNOTATIONS } from './hostAnnotations.js';
import { specImplementationSection } from './specImplementation.js';

/** Prose in a table cell: `<name>` would read as an HTML tag. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');
/** A code span in a table cell: shown literally, so only the column separator is escaped. */
const code = (text: string): string => `\`${text.replace(/\|/g, '\\|').replace(/\n/g, ' ')}\``;
/** Code-point order, the same under every locale. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The merge order and why the NodeEnvironment is last; resolveEffectiveProperties implements it. */
function mergeOrderSection(): string[] {
  return [
    '### Where a value comes from',
    '',
    "A Machine's effective properties are merged in this order; a later layer wins:",
    '',
    '1. the NodeProvider: `spec.properties` (its metadata annotations are not read: the platform writes there);',
    '2. the node type: `properties` and `annotations`;',
    "3. the NodeClaim: `spec.properties` and `metadata.annotations` (Kubernetes' own annotations aside);",
    "4. the NodeEnvironment named by `vcluster.com/network-environment` in the merged properties of 1–3, else by the NodeClaim's `spec.environmentRef`.",
    '',
    'A key set both as a property and as an annotation of one object is an error. An OSImage is not a layer: its image properties are read when `vcluster.com/os-image` names it.',
    '',
    '**Why the NodeEnvironment is last, over the NodeClaim too.** A NodeEnvironment describes a place outside any one Machine: a subnet and its gateway, the address ranges its IPAM pool hands out, the DNS and NTP servers reachable there. A Machine that joins it has to take those values as they are: a claim\'s own `network-cidr` or `network-ip-range` would lease an address that is not routable there or that another Machine of the same pool holds. Naming the environment is how a claim (or its node type or NodeProvider) chooses these values, and the spec merges the environment "into the NodeClaim\'s effective property set". To let claims choose a value, leave its key out of the environment.',
    '',
    'The override is never silent: `machine status` shows such a value as `NodeEnvironment "dc1" (overrides "8.8.8.8" set in NodeClaim "ns/worker-1" properties)` (for user data and network data, which may carry secrets, only the size of the replaced value), and `validate` warns at the NodeClaim\'s line when a NodeEnvironment given with it replaces a value the claim sets. Replacing a NodeProvider or node type value is what a later layer does and is not noted.',
    '',
    "Secret references (`vcluster.com/user-data-template-secret`, `vcluster.com/network-data-template-secret`, `metal3-provider.io/join-secret`) set on the NodeProvider or its node types are the administrator's and may name the platform namespace; set on a NodeClaim or NodeEnvironment they may name only the claim's namespace (a bare name is looked up in the platform namespace).",
  ];
}

/** What `spec.metal3.clusterRef` does in this provider, which differs from the platform's reading. */
function clusterRefSection(): string[] {
  return [
    '## NodeProvider `clusterRef`',
    '',
    'This provider works in the cluster of its kubeconfig (an explicit file, `KUBECONFIG`, `~/.kube/config`, then the in-cluster service account); it does not reach clusters through the platform.',
    '',
    '| field | used for |',
    '|---|---|',
    "| `clusterRef.namespace` | the namespace, in that cluster, of the BareMetalHosts the provider claims; also of the Metal3, DHCP and Multus releases `deploy` installs (unless `--namespace`) and of the Machines' snapshot Secrets |",
    '| `clusterRef.cluster` | required as the spec says, and not used to select a cluster: run the provider with a kubeconfig of the cluster it names |',
    '',
    '`validate` says so in a note on every NodeProvider.',
  ];
}

function propertiesSection(): string[] {
  return [
    '## Properties',
    '',
    'Set on the NodeProvider (`spec.properties`), node types, NodeClaims, OSImages or NodeEnvironments (`properties:` or annotations); the table says where each key may be written.',
    '',
    ...mergeOrderSection(),
    '',
    '| key | value | where | default |',
    '|---|---|---|---|',
    ...[...PROPERTY_CATALOGUE]
      .sort((a, b) => byText(a.key, b.key))
      .map(
        (p) =>
          `| ${code(p.key)} | ${cell(p.type)} | ${p.where.map((w) => LOCATION_NAMES[w]).join(', ')} | ${p.default === undefined ? '' : code(p.default)} |`,
      ),
  ];
}

function flatten(tree: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    value !== null && typeof value === 'object'
      ? flatten(value as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value] as [string, unknown]],
  );
}

function bootServerSection(): string[] {
  return [
    '## Boot server values',
    '',
    'Helm values of the DHCP server chart, also accepted by `boot-server` and `worker boot` as `--set key=value`.',
    '',
    '| key | default |',
    '|---|---|',
    // The chart's order: a port comes before the addresses that refer to it.
    ...flatten(serverDefaults()).map(
      ([key, value]) => `| ${code(key)} | ${value === '' ? '(empty)' : code(String(value))} |`,
    ),
  ];
}

function annotationsSection(): string[] {
  return [
    '## BareMetalHost annotations',
    '',
    'Annotations read on BareMetalHosts, and by what.',
    '',
    '| annotation | read by | meaning |',
    '|---|---|---|',
    ...[...HOST_ANNOTATIONS]
      .sort((a, b) => byText(a.key, b.key))
      .map((a) => `| ${code(a.key)} | ${a.readBy} | ${cell(a.meaning)} |`),
  ];
}

function optionDefault(defaultValue: unknown, described: string | undefined): string {
  // A described default (e.g. host name and process id) stands for a value computed at start.
  if (described !== undefined) return ` (default: ${cell(described)})`;
  // An empty list is what a repeatable option holds when it is not given: nothing to tell.
  if (defaultValue === undefined || (Array.isArray(defaultValue) && defaultValue.length === 0)) return '';
  return ` (default: ${code(JSON.stringify(defaultValue))})`;
}

function commandSections(command: Command, path: string[]): string[] {
  const name = [...path, command.name()].join(' ');
  const args = command.registeredArguments.map((a) => {
    const inner = `${a.name()}${a.variadic ? '...' : ''}`;
    return a.required ? `<${inner}>` : `[${inner}]`;
  });
  const options = command.options.map(
    (o) =>
      `| ${code(o.flags)} | ${cell(o.description)}${optionDefault(o.defaultValue, o.defaultValueDescription)}${
        o.envVar === undefined ? '' : `; environment variable ${code(o.envVar)}`
      } |`,
  );
  const own =
    path.length === 0
      ? []
      : [
          `### \`${[name, ...args].join(' ')}\``,
          '',
          command.description(),
          '',
          ...(options.length > 0 ? ['| option | meaning |', '|---|---|', ...options, ''] : []),
        ];
  // Registration order, as `--help` lists the commands.
  const children = [...command.commands]
    .filter((c) => c.name() !== 'help')
    .flatMap((child) => commandSections(child, [...path, command.name()]));
  return [...own, ...children];
}

/** docs/reference.md: what the code accepts, from the code itself (`npm run reference` writes it). */
export async function renderReference(): Promise<string> {
  return [
    '# Configuration reference',
    '',
    'Generated by `npm run reference` from the property catalogue, the boot server defaults, the BareMetalHost annotations and the CLI; do not edit.',
    '',
    ...propertiesSection(),
    '',
    ...clusterRefSection(),
    '',
    ...bootServerSection(),
    '',
    ...annotationsSection(),
    '',
    ...specImplementationSection(),
    '',
    '## Commands',
    '',
    ...commandSections(await buildProgram(), []),
  ].join('\n');
}
