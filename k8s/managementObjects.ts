import { CustomObjectsApi, type KubeConfig } from './kubernetesClient.js';
import type { z } from 'zod';
import { ConfigValidationError } from '../api/issues.js';
import { NodeClaim } from '../api/nodeClaim.js';
import { NodeEnvironment } from '../api/nodeEnvironment.js';
import { NodeProvider } from '../api/nodeProvider.js';
import { API_GROUP } from '../api/objectMeta.js';
import { OSImage } from '../api/osImage.js';
import { SSHKey } from '../api/sshKey.js';
import { validateWith } from '../api/zodIssues.js';
import { classifyApiError } from './apiErrors.js';

/**
 * Reads our configuration kinds (group management.loft.sh) and validates them with the same schemas
 * as `metal3-provider validate`, so a bad object fails with the field at fault. Absent → undefined.
 */
export interface ManagementObjects {
  nodeClaim(namespace: string, name: string): Promise<NodeClaim | undefined>;
  nodeProvider(name: string): Promise<NodeProvider | undefined>;
  osImage(name: string): Promise<OSImage | undefined>;
  sshKey(name: string): Promise<SSHKey | undefined>;
  nodeEnvironment(name: string): Promise<NodeEnvironment | undefined>;
}

const VERSION = 'v1';

export function createManagementObjects(kubeConfig: KubeConfig): ManagementObjects {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const read = async <S extends z.ZodType>(
    schema: S,
    kind: string,
    plural: string,
    name: string,
    namespace?: string,
  ): Promise<z.infer<S> | undefined> => {
    let object: unknown;
    try {
      object = namespace
        ? await api.getNamespacedCustomObject({ group: API_GROUP, version: VERSION, namespace, plural, name })
        : await api.getClusterCustomObject({ group: API_GROUP, version: VERSION, plural, name });
    } catch (err) {
      if (classifyApiError(err).kind === 'notFound') return undefined;
      throw err;
    }
    const result = validateWith(schema, object);
    if (!result.ok)
      throw new ConfigValidationError(`${kind} "${namespace ? `${namespace}/` : ''}${name}"`, result.issues);
    return result.value;
  };
  return {
    nodeClaim: (namespace, name) => read(NodeClaim, 'NodeClaim', 'nodeclaims', name, namespace),
    nodeProvider: (name) => read(NodeProvider, 'NodeProvider', 'nodeproviders', name),
    osImage: (name) => read(OSImage, 'OSImage', 'osimages', name),
    sshKey: (name) => read(SSHKey, 'SSHKey', 'sshkeys', name),
    nodeEnvironment: (name) => read(NodeEnvironment, 'NodeEnvironment', 'nodeenvironments', name),
  };
}
