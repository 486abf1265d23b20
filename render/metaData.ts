import { stringify } from 'yaml';
import type { NodeClaim } from '../api/nodeClaim.js';

/**
 * The Machine's meta data, which BMO merges into the config drive's meta_data.json. cloud-init's
 * config-drive datasource takes the instance id from `uuid` and the host name from `hostname`; the
 * other keys are the names Metal3 (CAPM3) and cloud-init's NoCloud use for the same values, so any
 * reader finds them. The instance id is the NodeClaim's uid (`namespace.name` before it has one):
 * unique per Machine, so cloud-init runs its per-instance steps again on a host that served another
 * Machine before. A flat map of strings, as YAML 1.1 (which BMO's reader speaks): a name such as `on`
 * or `yes` is quoted so that it stays a string.
 */
export function renderMetaData(claim: NodeClaim): string {
  const { name, namespace } = claim.metadata;
  const uid = typeof claim.metadata.uid === 'string' && claim.metadata.uid !== '' ? claim.metadata.uid : undefined;
  const instanceId = uid ?? (namespace === undefined ? name : `${namespace}.${name}`);
  const metaData: Record<string, string> = {
    uuid: instanceId,
    'instance-id': instanceId,
    hostname: name,
    'local-hostname': name,
    local_hostname: name,
    name,
  };
  return stringify(metaData, { version: '1.1' });
}
