import type { EffectiveProperties } from '../../api/resolve/origin.js';
import type { NodeClaim } from '../../api/nodeClaim.js';
import type { SecretApi } from '../../k8s/secrets.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import { renderSpecOf, type MachineRenderSpec, type TemplateSshKey } from '../../render/renderSpec.js';
import { machineLabels, machineObjectName } from '../secrets/machineSecrets.js';

/**
 * The Machine's render spec, fixed when the Machine starts: later edits to the NodeProvider, SSHKeys
 * or template Secrets do not change a running provision. It holds user data and join commands, so
 * it lives in a Secret and only the Secret's name enters workflow history.
 */
const RENDER_SPEC_KEY = 'renderSpec';

/** Written by releases before the render spec: the properties as resolved, not yet parsed. */
const UNPARSED_KEY = 'snapshot';
interface UnparsedSnapshot {
  claim: NodeClaim;
  project?: string;
  effective: EffectiveProperties;
  sshKeys: TemplateSshKey[];
  templates: { userDataTemplateSecret?: string; networkDataTemplateSecret?: string };
  registrationCommands: string[];
}

export function snapshotSecretName(machine: MachineRef): string {
  return machineObjectName(machine, 'spec');
}

export async function writeSnapshot(secrets: SecretApi, machine: MachineRef, spec: MachineRenderSpec): Promise<string> {
  const name = snapshotSecretName(machine);
  await secrets.apply({
    name,
    labels: machineLabels(machine),
    stringData: { [RENDER_SPEC_KEY]: JSON.stringify(spec) },
  });
  return name;
}

/** The Machine's render spec; a Machine resolved by an earlier release has its snapshot parsed here. */
export async function readSnapshot(secrets: SecretApi, name: string): Promise<MachineRenderSpec> {
  const spec = renderSpecInSnapshot((await secrets.read(name))?.data ?? {});
  if (spec) return spec;
  throw new Error(
    `the Machine's snapshot Secret ${secrets.namespace}/${name} is missing; release the Machine and request it again`,
  );
}

/** The render spec a snapshot Secret's data holds, in either form; undefined when it holds neither. */
export function renderSpecInSnapshot(data: Readonly<Record<string, string>>): MachineRenderSpec | undefined {
  const spec = data[RENDER_SPEC_KEY];
  if (spec !== undefined) return JSON.parse(spec) as MachineRenderSpec;
  const unparsed = data[UNPARSED_KEY];
  return unparsed === undefined ? undefined : renderSpecOf(JSON.parse(unparsed) as UnparsedSnapshot);
}
