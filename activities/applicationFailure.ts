import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { ConfigValidationError } from '../api/issues.js';
import { PropertyValueError } from '../api/properties/values.js';
import { NodeTypeSelectionError } from '../api/resolve/nodeType.js';
import { InfraFailureType } from '../contracts/infraContract.js';
import { IpamFailureType } from '../contracts/ipamFailureTypes.js';
import { CONFIG_INVALID, RENDER_LIMIT_EXCEEDED } from '../contracts/machineContract.js';
import { PoolConfigError } from '../ipam/errors.js';
import { classifyApiError, type ClassifiedApiError } from '../k8s/apiErrors.js';
import { MachineDataError, RenderLimitError } from '../render/errors.js';
import { HelmCommandError } from './infra/helmCommand.js';
import { InvalidHelmValuesError } from './infra/releaseValues.js';

/**
 * What an activity was working on when it failed. It picks the hint of a refused Kubernetes request:
 * the objects that step reads or writes, so the operator grants the access that is missing.
 */
export type FailureOrigin = 'hosts' | 'addresses' | 'secrets' | 'resolve' | 'render' | 'reclaim' | 'infra';

const ACCESS_NEEDED: Record<FailureOrigin, string> = {
  hosts: 'BareMetalHosts, Secrets and Events',
  addresses: 'IPAddressAllocations and BareMetalHosts',
  secrets: 'Secrets',
  resolve: 'NodeClaims, NodeProviders, NodeEnvironments, OSImages, SSHKeys and Secrets',
  render: 'BareMetalHosts and Secrets',
  reclaim: 'NodeProviders, BareMetalHosts, IPAddressAllocations and Secrets',
  infra: 'Deployments and DaemonSets',
};

/** The Kubernetes API failure type; the host, IPAM and infrastructure contracts all name it so. */
const KUBERNETES_API_ERROR = IpamFailureType.KubernetesApiError;

/**
 * Anything an activity throws passes through here on its way to the workflow. Typed failures and
 * cancellation go as they are; our own error classes become their failure type; anything else is
 * taken for a Kubernetes API error. Messages say what failed (`doing`) and carry only our errors'
 * messages or the API server's, never request bodies, template text, rendered data or Secret values.
 */
export function toApplicationFailure(err: unknown, doing: string, origin: FailureOrigin): Error {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  const typed = configFailure(err, doing);
  if (typed) return typed;
  const classified = classifyApiError(err);
  // helm, not this process, talks to the API server while a release is applied: its other errors
  // (a chart that cannot be read) are no Kubernetes API errors and keep their own name.
  if (origin === 'infra' && classified.kind === 'other')
    return err instanceof Error ? err : new Error(classified.message);
  return kubernetesFailure(classified, doing, origin);
}

/** Errors of configuration: retrying does not help until someone changes it. */
function configFailure(err: unknown, doing: string): ApplicationFailure | undefined {
  if (
    err instanceof ConfigValidationError ||
    err instanceof NodeTypeSelectionError ||
    err instanceof PropertyValueError
  )
    return ApplicationFailure.create({ type: CONFIG_INVALID, message: err.message, nonRetryable: true });
  if (err instanceof MachineDataError) {
    // The message names the property and the template's position; `detail` may quote the template, so it stays here.
    const limit = err instanceof RenderLimitError ? err.limit : undefined;
    return ApplicationFailure.create({
      type: limit === undefined ? CONFIG_INVALID : RENDER_LIMIT_EXCEEDED,
      message: err.message,
      nonRetryable: true,
      details: [{ ...(err.property !== undefined && { property: err.property }), ...(limit && { limit }) }],
    });
  }
  if (err instanceof PoolConfigError)
    return ApplicationFailure.create({
      type: IpamFailureType.InvalidNetworkConfig,
      message: `${doing} failed: ${err.message}`,
      nonRetryable: true,
      details: [{ property: err.property }],
    });
  if (err instanceof InvalidHelmValuesError)
    return ApplicationFailure.create({
      type: InfraFailureType.InvalidDeploySpec,
      message: err.message,
      nonRetryable: true,
    });
  // helm's error line only, never the values.
  if (err instanceof HelmCommandError)
    return ApplicationFailure.create({ type: InfraFailureType.HelmFailed, message: `${doing}: ${err.message}` });
  return undefined;
}

/** Retryable unless the request itself was wrong or refused: then only a change of access or input helps. */
function kubernetesFailure(classified: ClassifiedApiError, doing: string, origin: FailureOrigin): ApplicationFailure {
  const permanent = classified.kind === 'invalid' || classified.kind === 'forbidden';
  const hint = classified.kind === 'forbidden' ? `; grant the provider access to ${ACCESS_NEEDED[origin]}` : '';
  return ApplicationFailure.create({
    type: KUBERNETES_API_ERROR,
    message: `${doing} failed: ${classified.message}${hint}`,
    nonRetryable: permanent,
    details: [{ kind: classified.kind, status: classified.status }],
  });
}
