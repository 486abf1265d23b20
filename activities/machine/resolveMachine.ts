import type { EffectiveProperties } from '../../api/resolve/origin.js';
import { describeEffectiveOrigin, describeOrigin } from '../../api/resolve/origin.js';
import { resolveEffectiveProperties, selectEnvironmentName } from '../../api/resolve/effectiveProperties.js';
import { selectNodeType } from '../../api/resolve/nodeType.js';
import {
  osImageName,
  provisioningSettings,
  resolveImage,
  resolveNetworkDataSource,
  resolveUserDataSource,
  sshKeyNames,
} from '../../api/resolve/sources.js';
import { PropertyKeys } from '../../api/properties/keys.js';
import { secretLocation, type SecretLocation } from '../../api/resolve/secretReference.js';
import { TEMPLATE_SECRET_KEY, TEMPLATE_TYPE_LABEL } from '../../api/templateSecret.js';
import { ConfigValidationError } from '../../api/issues.js';
import type { ManagementObjects } from '../../k8s/managementObjects.js';
import type { SecretApi } from '../../k8s/secrets.js';
import type { MachineRef, ResolvedMachine } from '../../contracts/machineContract.js';
import { buildRenderSpec, type RenderSources, type TemplateSshKey } from '../../render/renderSpec.js';
import { writeSnapshot } from './machineSnapshot.js';

export interface ResolveDeps {
  objects: ManagementObjects;
  /** Secrets in a namespace; only ever called for a location secretLocation allowed. */
  secretsIn: (namespace: string) => SecretApi;
  /** Where the provider's own configuration lives: bare Secret names are looked up here. */
  platformNamespace: string;
}

/** Properties whose values may carry tokens or keys: the status query shows only their size. */
const SECRET_PROPERTIES: readonly string[] = [
  PropertyKeys.userData,
  PropertyKeys.userDataTemplate,
  PropertyKeys.networkData,
  PropertyKeys.networkDataTemplate,
];

/**
 * Reads the NodeClaim and everything it refers to, merges and parses the effective properties, and
 * writes the render spec the render step uses (in the snapshot Secret). Returns only what may stand in workflow history.
 */
export async function resolveMachine(deps: ResolveDeps, machine: MachineRef): Promise<ResolvedMachine> {
  const subject = `NodeClaim "${machine.namespace}/${machine.name}"`;
  const missing = (message: string) => new ConfigValidationError(subject, [{ path: [], message }]);
  const claim = await deps.objects.nodeClaim(machine.namespace, machine.name);
  if (!claim) throw missing('does not exist; create it before provisioning the Machine');
  const provider = await deps.objects.nodeProvider(claim.spec.providerRef);
  if (!provider) throw missing(`names NodeProvider "${claim.spec.providerRef}", which does not exist`);
  const nodeType = selectNodeType(provider, claim);
  const environmentName = selectEnvironmentName(nodeType, claim, provider);
  const environment = environmentName ? await deps.objects.nodeEnvironment(environmentName) : undefined;
  const effective = resolveEffectiveProperties({
    provider,
    nodeType,
    nodeClaim: claim,
    ...(environment && { environment }),
  });
  const imageName = osImageName(effective);
  const image = resolveImage(effective, imageName ? await deps.objects.osImage(imageName) : undefined);
  const settings = provisioningSettings(effective);

  const sshKeys: TemplateSshKey[] = [];
  for (const name of sshKeyNames(effective)) {
    const key = await deps.objects.sshKey(name);
    if (!key) throw missing(`${PropertyKeys.sshKeys} names SSHKey "${name}", which does not exist`);
    sshKeys.push({ Name: name, PublicKey: key.spec.publicKey.trim() });
  }
  const userDataSource = resolveUserDataSource(effective);
  const networkDataSource = resolveNetworkDataSource(effective);
  // Every Secret reference is checked before the first Secret is read, so a refused one reads nothing.
  const locate = (property: string, namespaceRequired = false): SecretLocation | undefined => {
    const set = effective[property];
    if (!set) return undefined;
    const { platformNamespace } = deps;
    return secretLocation({
      property,
      ...set,
      claimNamespace: machine.namespace,
      platformNamespace,
      namespaceRequired,
    });
  };
  const userDataSecret =
    userDataSource.kind === 'templateSecret' ? locate(PropertyKeys.userDataTemplateSecret) : undefined;
  const networkDataSecret =
    networkDataSource.kind === 'templateSecret' ? locate(PropertyKeys.networkDataTemplateSecret, true) : undefined;
  const joinSecret = locate(PropertyKeys.joinSecret);
  const templates: RenderSources['templates'] = {
    ...(userDataSecret && { userDataTemplateSecret: await readTemplateSecret(deps, userDataSecret) }),
    ...(networkDataSecret && { networkDataTemplateSecret: await readTemplateSecret(deps, networkDataSecret) }),
  };
  const clusterNamespace = provider.spec.metal3.clusterRef.namespace;
  const renderSpec = buildRenderSpec({
    claim,
    effective,
    sshKeys,
    registrationCommands: joinSecret ? await readJoinCommands(deps, joinSecret, effective) : [],
    userDataSource,
    networkDataSource,
    templates,
  });
  const snapshotSecret = await writeSnapshot(deps.secretsIn(clusterNamespace), machine, renderSpec);

  const value = (key: string) => effective[key]?.value;
  const cidr = value(PropertyKeys.networkCidr);
  const ranges = value(PropertyKeys.networkIpRange);
  return {
    provider: provider.metadata.name,
    nodeType: nodeType.name,
    clusterNamespace,
    selector: nodeType.bareMetalHosts.selector,
    ...(nodeType.resources && { resources: nodeType.resources }),
    ...(settings.serverName !== undefined && { serverName: settings.serverName }),
    image: {
      url: image.url,
      checksum: image.checksum,
      ...(image.checksumType !== undefined && { checksumType: image.checksumType }),
    },
    ...((cidr !== undefined || ranges !== undefined) && {
      network: {
        networkCidr: cidr,
        networkIpRange: ranges,
        reservedAddresses: value(PropertyKeys.reservedAddresses),
        dnsServers: value(PropertyKeys.dnsServers),
        ntpServers: value(PropertyKeys.ntpServers),
      },
    }),
    provisioning: { attempts: settings.attempts, timeoutMs: settings.timeoutMs },
    snapshotSecret,
    properties: redactedProperties(effective),
  };
}

async function readTemplateSecret(deps: ResolveDeps, { namespace, name }: SecretLocation): Promise<string> {
  const secret = await deps.secretsIn(namespace).read(name);
  const subject = `template Secret "${namespace}/${name}"`;
  const problem = (message: string) => new ConfigValidationError(subject, [{ path: [], message }]);
  if (!secret) throw problem('does not exist; create it or fix the property that names it');
  if (secret.labels[TEMPLATE_TYPE_LABEL] === undefined) throw problem(`lacks the label ${TEMPLATE_TYPE_LABEL}`);
  const template = secret.data[TEMPLATE_SECRET_KEY];
  if (template === undefined) throw problem(`has no key "${TEMPLATE_SECRET_KEY}"`);
  return template;
}

/** The registration commands from the Secret named by metal3-provider.io/join-secret (key `joinCommand`). */
async function readJoinCommands(
  deps: ResolveDeps,
  { namespace, name }: SecretLocation,
  effective: EffectiveProperties,
): Promise<string[]> {
  const secret = await deps.secretsIn(namespace).read(name);
  const commands = secret?.data.joinCommand;
  if (commands === undefined) {
    const origin = effective[PropertyKeys.joinSecret]?.origin;
    const namedBy = origin ? ` (named by ${describeOrigin(origin)})` : '';
    throw new ConfigValidationError(`join Secret "${namespace}/${name}"`, [
      { path: [], message: `does not exist or has no key "joinCommand"${namedBy}` },
    ]);
  }
  return commands.split('\n').filter((line) => line.trim() !== '');
}

function redactedProperties(effective: EffectiveProperties): ResolvedMachine['properties'] {
  return Object.fromEntries(
    Object.entries(effective).map(([key, property]) => {
      const secret = SECRET_PROPERTIES.includes(key);
      return [
        key,
        {
          value: secret ? `(redacted, ${property.value.length} characters)` : property.value,
          // Says when a NodeEnvironment replaced the claim's own value (and which, unless it may be secret).
          origin: describeEffectiveOrigin(property, !secret),
        },
      ];
    }),
  );
}
