import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROPERTY_CATALOGUE } from '../api/properties/catalogue.js';
import { PropertyKeys } from '../api/properties/keys.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../api/validateDocument.js';

/**
 * docs/reference.md's map from the spec to the code: for each property, the modules that read it,
 * found in the sources (so a move or a new reader shows up when the reference is generated); for each
 * document kind and the fields checked beyond their kind's schema, the modules that check them.
 */

const root = fileURLToPath(new URL('..', import.meta.url));

/** Folders of product code (tests, the simulator, the devstack and benchmarks are not). */
const PRODUCT_DIRS = [
  'api',
  'activities',
  'render',
  'ipam',
  'dhcp',
  'workflows',
  'controller',
  'worker',
  'cli',
  'client',
];
/** Where keys are declared and described rather than read. */
const DECLARATIONS = new Set(['api/properties/keys.ts', 'api/properties/catalogue.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Product modules that name the key through PropertyKeys (imported as such or as `K`). */
function readersOf(role: string, sources: ReadonlyMap<string, string>): string[] {
  const use = new RegExp(`\\b(?:PropertyKeys|K)\\.${role}\\b`);
  return [...sources].filter(([path, text]) => !DECLARATIONS.has(path) && use.test(text)).map(([path]) => path);
}

const code = (text: string): string => `\`${text}\``;

function existing(paths: readonly string[]): string {
  for (const path of paths) {
    if (!existsSync(join(root, path))) throw new Error(`the reference names ${path}, which does not exist`);
  }
  return paths.map(code).join(', ');
}

/** The module holding each kind's schema; checked against the kinds `validate` knows. */
const KIND_MODULES: Record<DocumentKind, readonly string[]> = {
  NodeProvider: ['api/nodeProvider.ts'],
  NodeClaim: ['api/nodeClaim.ts'],
  OSImage: ['api/osImage.ts'],
  SSHKey: ['api/sshKey.ts', 'api/sshPublicKey.ts'],
  NodeEnvironment: ['api/nodeEnvironment.ts'],
  BareMetalHost: ['api/bareMetalHostSchema.ts', 'api/bareMetalHostChecks.ts'],
  Secret: ['api/templateSecret.ts'],
};

/** Fields whose rules live outside their kind's schema module. */
const FIELD_MODULES: readonly [field: string, modules: readonly string[]][] = [
  [
    'NodeProvider `spec.properties`, node type `properties`/`annotations`, NodeClaim, OSImage and NodeEnvironment properties',
    ['api/properties/catalogue.ts', 'api/properties/validateProperties.ts', 'api/properties/values.ts'],
  ],
  ['NodeProvider `spec.metal3.nodeTypes[].bareMetalHosts.selector`', ['api/labelSelector.ts']],
  ['NodeProvider `spec.metal3.nodeTypes[].resources`', ['api/resources.ts', 'api/quantity.ts']],
  [
    'NodeProvider `spec.metal3.deploy.dhcp.helmValues`',
    [
      'charts/metal3-provider-dhcp-server/values.schema.json',
      'api/charts/chartValues.ts',
      'dhcp/config/bootServerConfig.ts',
    ],
  ],
  [
    'NodeProvider `spec.metal3.deploy.metal3.helmValues`',
    ['charts/metal3/values.schema.json', 'api/charts/chartValues.ts'],
  ],
  [
    'NodeProvider `spec.metal3.deploy.multus.helmValues`',
    ['charts/multus/values.schema.json', 'api/charts/chartValues.ts'],
  ],
  ['BareMetalHost `spec.bmc.address`', ['api/bmcAddress.ts']],
  [
    'BareMetalHost DHCP annotations (`metal3.vcluster.com/ip-address`, `gateway`, `dns-servers`, `ntp-servers`)',
    ['api/bareMetalHostLease.ts', 'dhcp/hosts/bootHost.ts'],
  ],
  ['warnings and notes of `validate`', ['api/documentNotes.ts', 'api/notes']],
];

export function specImplementationSection(): string[] {
  const kinds = Object.keys(KIND_MODULES).sort();
  if (kinds.join() !== [...DOCUMENT_KINDS].sort().join()) {
    throw new Error(`KIND_MODULES lists ${kinds.join(', ')}; validate knows ${DOCUMENT_KINDS.join(', ')}`);
  }
  const sources = new Map(
    PRODUCT_DIRS.flatMap(sourceFiles)
      .sort()
      .map((path) => [path, readFileSync(join(root, path), 'utf8')]),
  );
  const roles = new Map(Object.entries(PropertyKeys).map(([role, key]) => [key as string, role]));
  return [
    '## Where the spec is implemented',
    '',
    'Each document kind and the fields checked outside its schema, with the modules that check them:',
    '',
    '| spec | checked by |',
    '|---|---|',
    ...DOCUMENT_KINDS.map((kind) => `| ${kind} | ${existing(KIND_MODULES[kind])} |`),
    ...FIELD_MODULES.map(([field, modules]) => `| ${field} | ${existing(modules)} |`),
    '',
    'Each property, with the modules that read it (found in the sources; the catalogue checks every value):',
    '',
    '| property | read by |',
    '|---|---|',
    ...PROPERTY_CATALOGUE.map(({ key }) => {
      const role = roles.get(key);
      const readers = role === undefined ? [] : readersOf(role, sources);
      if (readers.length === 0) throw new Error(`no module reads the property ${key}`);
      return `| ${code(key)} | ${readers.map(code).join(', ')} |`;
    }),
  ];
}
