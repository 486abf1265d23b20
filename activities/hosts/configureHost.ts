import { IP_ADDRESS_ANNOTATION } from '../../ipam/lease.js';
import { classifyApiError } from '../../k8s/apiErrors.js';
import { updateHost } from '../../k8s/updateHost.js';
import { hostFailure } from './failures.js';
import { NETWORK_ANNOTATION_PREFIX, configuredHost, type HostConfiguration } from './hostChanges.js';
import { recordHostEvent, type HostDeps } from './hostDeps.js';
import { describeMachine, isConsumedBy } from './consumerRef.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import { notClaimed } from './verdicts.js';
import type { ConfigureHostResult } from '../../contracts/machineActivityContract.js';
import { HostFailureType } from '../../contracts/hostFailureTypes.js';

export interface ConfigureHostInput extends HostConfiguration {
  machine: MachineRef;
  host: string;
}

/**
 * Points the claimed host at the image and the Machine's data Secrets and sets `online: true`,
 * which is what makes BMO start provisioning. Only a host consumed by this Machine is touched.
 */
export async function configureHost(deps: HostDeps, input: ConfigureHostInput): Promise<ConfigureHostResult> {
  const foreign = Object.keys(input.networkAnnotations ?? {}).filter((k) => !k.startsWith(NETWORK_ANNOTATION_PREFIX));
  if (foreign.length > 0) {
    throw hostFailure(
      HostFailureType.HostNotEligible,
      `configureHost only sets ${NETWORK_ANNOTATION_PREFIX}* annotations, not ${foreign.join(', ')}`,
      { nonRetryable: true },
    );
  }
  try {
    const { host, changed } = await updateHost(
      deps.hosts,
      input.host,
      (current) => {
        if (!isConsumedBy(current, input.machine)) throw notClaimed(input.host, input.machine);
        return configuredHost(current, input);
      },
      { seen: deps.cache?.latest(input.host) },
    );
    if (changed) {
      const address = input.networkAnnotations?.[IP_ADDRESS_ANNOTATION];
      const what = address
        ? `Image ${input.image.url}, data Secrets and address ${address}`
        : `Image ${input.image.url} and data Secrets`;
      await recordHostEvent(
        deps,
        host,
        'Configured',
        `${what} set for NodeClaim ${describeMachine(input.machine)}; provisioning starts`,
      );
    }
    return { host: input.host, changed, resourceVersion: host.metadata.resourceVersion };
  } catch (err) {
    if (classifyApiError(err).kind === 'notFound') {
      throw hostFailure(
        HostFailureType.HostDeleted,
        `BareMetalHost ${input.host} no longer exists, so it cannot be configured for ${describeMachine(input.machine)}; claim another host`,
        { nonRetryable: true },
      );
    }
    throw err;
  }
}
