import type { Command } from 'commander';
import type { BareMetalHost } from '../api/bareMetalHost.js';
import { ConfigValidationError } from '../api/issues.js';
import type { NodeClaim } from '../api/nodeClaim.js';
import { PropertyKeys } from '../api/properties/keys.js';
import { PropertyValueError } from '../api/properties/values.js';
import { resolveEffectiveProperties, selectEnvironmentName } from '../api/resolve/effectiveProperties.js';
import { NodeTypeSelectionError, selectNodeType } from '../api/resolve/nodeType.js';
import type { EffectiveProperties } from '../api/resolve/origin.js';
import { resolveNetworkDataSource, resolveUserDataSource } from '../api/resolve/sources.js';
import { secretLocation, type SecretLocation } from '../api/resolve/secretReference.js';
import type { Secret } from '../api/templateSecret.js';
import type { LocatedDocument } from '../api/validateText.js';
import type { ValidatedDocument } from '../api/validateDocument.js';
import { PoolConfigError } from '../ipam/errors.js';
import type { Lease } from '../ipam/lease.js';
import { MachineDataError } from '../render/errors.js';
import type { MachineData } from '../render/machineData.js';
import { RenderPool } from '../render/renderPool.js';
import { LeaseInputError, firstPoolLease, leaseFromAddress } from '../render/previewLease.js';
import { readDocumentFiles } from './readDocumentFiles.js';
import { platformNamespaceOption } from './platformNamespaceOption.js';
import { addRenderLimitOptions, renderLimitsOf, type RenderLimitFlags } from './renderLimitOptions.js';
import { readTemplateSecret } from '../render/templateSecretText.js';
import { selectSshKeys } from '../render/templateValues.js';
import { buildRenderSpec, type TemplateSshKey } from '../render/renderSpec.js';

interface RenderOptions extends RenderLimitFlags {
  claim: string;
  provider?: string;
  host?: string;
  environment?: string[];
  osImage?: string[];
  sshKey?: string[];
  templateSecret?: string[];
  address?: string;
  gateway?: string;
  registrationCommand?: string[];
  platformNamespace: string;
}

/** Input the command cannot work with: a file, a missing document, a flag. */
class RenderInputError extends Error {}

type Kind = ValidatedDocument['kind'];
type Of<K extends Kind> = Extract<ValidatedDocument, { kind: K }>['value'];

/** Every document of every file, validated; all problems of all files are reported at once. */
async function loadDocuments(files: readonly string[]): Promise<LocatedDocument[]> {
  const { documents, problems } = await readDocumentFiles(files);
  if (problems.length > 0) throw new RenderInputError(problems.join('\n'));
  return documents;
}

function ofKind<K extends Kind>(documents: readonly LocatedDocument[], kind: K): Of<K>[] {
  return documents.flatMap(({ document }) => (document.kind === kind ? [document.value as Of<K>] : []));
}

function theClaim(documents: readonly LocatedDocument[], file: string): NodeClaim {
  const claims = ofKind(
    documents.filter((d) => d.file === file),
    'NodeClaim',
  );
  const [claim, ...others] = claims;
  if (claim === undefined || others.length > 0) {
    throw new RenderInputError(`${file}: must hold exactly one NodeClaim; it holds ${claims.length}`);
  }
  return claim;
}

/** The host named by metal3.vcluster.com/server-name, else the first one given. */
function theHost(documents: readonly LocatedDocument[], effective: EffectiveProperties): BareMetalHost | undefined {
  const hosts = ofKind(documents, 'BareMetalHost');
  const pinned = effective[PropertyKeys.serverName]?.value;
  if (pinned === undefined) return hosts[0];
  const host = hosts.find((h) => h.metadata.name === pinned);
  if (host === undefined && hosts.length > 0) {
    throw new RenderInputError(`${PropertyKeys.serverName} pins BareMetalHost "${pinned}", which no --host file holds`);
  }
  return host;
}

/** A Secret file without a namespace is taken to be where the reference points, as `kubectl apply -n` would put it. */
function findSecret(documents: readonly LocatedDocument[], location: SecretLocation): Secret | undefined {
  return ofKind(documents, 'Secret').find(
    ({ metadata }) =>
      metadata.name === location.name && (metadata.namespace ?? location.namespace) === location.namespace,
  );
}

/**
 * The template a template-secret property names, found by the same rule a Machine uses (see
 * secretLocation), so a reference the worker would refuse is refused here too.
 */
function templateFromSecret(
  documents: readonly LocatedDocument[],
  effective: EffectiveProperties,
  property: string,
  namespaces: { claimNamespace: string; platformNamespace: string },
): string {
  const set = effective[property];
  if (set === undefined) throw new Error(`${property} is not set`);
  const namespaceRequired = property === PropertyKeys.networkDataTemplateSecret;
  const location = secretLocation({ property, ...set, ...namespaces, namespaceRequired });
  const secret = findSecret(documents, location);
  if (secret === undefined) {
    throw new RenderInputError(
      `${property} names the template Secret "${location.namespace}/${location.name}", which none of the files holds; pass it with --template-secret`,
    );
  }
  return readTemplateSecret(secret, property);
}

function sshKeysOf(documents: readonly LocatedDocument[], effective: EffectiveProperties): TemplateSshKey[] {
  try {
    return selectSshKeys(effective, ofKind(documents, 'SSHKey'));
  } catch (error) {
    if (!(error instanceof MachineDataError)) throw error;
    throw new RenderInputError(`${error.message}; or pass the SSHKey documents with --ssh-key`);
  }
}

/** --address/--gateway, else the pool's first address, so templates see an AllocatedIP as Machines will. */
function previewLease(options: RenderOptions, effective: EffectiveProperties): Lease | undefined {
  if (options.address !== undefined) return leaseFromAddress(options.address, options.gateway, effective);
  if (options.gateway !== undefined) throw new RenderInputError('--gateway needs --address');
  const lease = firstPoolLease(effective);
  if (lease) {
    process.stderr.write(
      `note: without --address, using ${lease.address}/${lease.prefix}, the first address of the pool\n`,
    );
  }
  return lease;
}

/** Renders as a Machine would: in a render thread, within the same limits as the worker's (see the flags). */
async function render(options: RenderOptions, pool: RenderPool): Promise<MachineData> {
  const files = [
    options.claim,
    ...[options.provider, options.host].filter((file) => file !== undefined),
    ...(options.environment ?? []),
    ...(options.osImage ?? []),
    ...(options.sshKey ?? []),
    ...(options.templateSecret ?? []),
  ];
  const documents = await loadDocuments([...new Set(files)]);
  const claim = theClaim(documents, options.claim);
  const provider = ofKind(documents, 'NodeProvider').find((p) => p.metadata.name === claim.spec.providerRef);
  if (provider === undefined) {
    throw new RenderInputError(
      `NodeClaim "${claim.metadata.name}" names NodeProvider "${claim.spec.providerRef}", which none of the files holds; pass it with --provider`,
    );
  }
  const nodeType = selectNodeType(provider, claim);
  const environmentName = selectEnvironmentName(nodeType, claim, provider);
  const environment = ofKind(documents, 'NodeEnvironment').find((e) => e.metadata.name === environmentName);
  if (environmentName !== undefined && environment === undefined) {
    throw new RenderInputError(
      `NodeClaim "${claim.metadata.name}" uses NodeEnvironment "${environmentName}", which none of the files holds; pass it with --environment`,
    );
  }
  const effective = resolveEffectiveProperties({
    provider,
    nodeType,
    nodeClaim: claim,
    ...(environment && { environment }),
  });
  const userDataSource = resolveUserDataSource(effective);
  const networkDataSource = resolveNetworkDataSource(effective);
  const namespaces = {
    // A claim file without a namespace is applied to `default`, as kubectl would.
    claimNamespace: claim.metadata.namespace ?? 'default',
    platformNamespace: options.platformNamespace,
  };
  const spec = buildRenderSpec({
    claim,
    effective,
    sshKeys: sshKeysOf(documents, effective),
    userDataSource,
    networkDataSource,
    templates: {
      ...(userDataSource.kind === 'templateSecret' && {
        userDataTemplateSecret: templateFromSecret(
          documents,
          effective,
          PropertyKeys.userDataTemplateSecret,
          namespaces,
        ),
      }),
      ...(networkDataSource.kind === 'templateSecret' && {
        networkDataTemplateSecret: templateFromSecret(
          documents,
          effective,
          PropertyKeys.networkDataTemplateSecret,
          namespaces,
        ),
      }),
    },
    registrationCommands: options.registrationCommand ?? [],
  });
  return pool.render({
    ...spec,
    bareMetalHost: theHost(documents, effective),
    lease: previewLease(options, effective),
  });
}

function print(data: MachineData): void {
  const section = (title: string, text: string) => `==> ${title} <==\n${text}${text.endsWith('\n') ? '' : '\n'}`;
  process.stdout.write(
    [
      section('user data', data.userData),
      section('network data', data.networkData ?? '(none: the host configures its network by DHCP)'),
      section('meta data', data.metaData),
    ].join('\n'),
  );
}

/** Errors that describe the input; anything else is a defect and keeps its stack trace. */
const INPUT_ERRORS = [
  RenderInputError,
  ConfigValidationError,
  NodeTypeSelectionError,
  MachineDataError,
  PropertyValueError,
  PoolConfigError,
  LeaseInputError,
];

/**
 * `metal3-provider render --claim FILE …`: the user data, network data and meta data a Machine would
 * get, for debugging templates before anything is provisioned. They may hold secrets, so they go to
 * standard output only, for the terminal that asked.
 */
export function registerRenderCommand(program: Command): void {
  const command = program
    .command('render')
    .description('print the user data, network data and meta data a Machine would get, without provisioning anything')
    .requiredOption('--claim <file>', 'YAML file with the NodeClaim (it may hold the other documents too)')
    .option('--provider <file>', 'the NodeProvider; the file may also hold OSImage, SSHKey and other documents')
    .option('--host <file>', 'the BareMetalHost the Machine would claim')
    .option('--environment <files...>', 'NodeEnvironment documents')
    .option('--os-image <files...>', 'OSImage documents')
    .option('--ssh-key <files...>', 'SSHKey documents that vcluster.com/ssh-keys names')
    .option('--template-secret <files...>', 'Secrets holding user-data or network-data templates')
    .option('--address <cidr>', 'allocated address with prefix, e.g. 10.0.0.5/24 (default: first address of the pool)')
    .option('--gateway <ip>', 'default gateway for --address (default: the network-cidr gateway or first host)')
    .option('--registration-command <commands...>', 'join commands appended after the user runcmd entries')
    .addOption(platformNamespaceOption());
  addRenderLimitOptions(command).action(async (options: RenderOptions) => {
    const pool = new RenderPool(renderLimitsOf(options));
    try {
      print(await render(options, pool));
    } catch (error) {
      if (!INPUT_ERRORS.some((type) => error instanceof type)) throw error;
      // The terminal of whoever renders their own templates gets Go's whole message, node text and all.
      const detail = error instanceof MachineDataError ? error.detail : undefined;
      process.stderr.write(`${detail ?? (error as Error).message}\n`);
      process.exitCode = 1;
    } finally {
      await pool.close();
    }
  });
}
