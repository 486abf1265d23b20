import { ApiException } from '@kubernetes/client-node';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { toApplicationFailure, type FailureOrigin } from '../../../activities/applicationFailure.js';
import { HelmCommandError } from '../../../activities/infra/helmCommand.js';
import { NodeTypeSelectionError } from '../../../api/resolve/nodeType.js';
import { CONFIG_INVALID, RENDER_LIMIT_EXCEEDED } from '../../../contracts/machineContract.js';
import { MachineDataError, RenderLimitError } from '../../../render/errors.js';

function failureOf(err: unknown, doing: string, origin: FailureOrigin): ApplicationFailure {
  const result = toApplicationFailure(err, doing, origin);
  if (!(result instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(result)}`);
  return result;
}

const forbidden = () =>
  new ApiException(403, 'Forbidden', JSON.stringify({ message: 'secrets "snap" is forbidden' }), {});

describe('toApplicationFailure', () => {
  it.each<[FailureOrigin, string]>([
    ['hosts', 'grant the provider access to BareMetalHosts, Secrets and Events'],
    ['addresses', 'grant the provider access to IPAddressAllocations and BareMetalHosts'],
    [
      'resolve',
      'grant the provider access to NodeClaims, NodeProviders, NodeEnvironments, OSImages, SSHKeys and Secrets',
    ],
    ['render', 'grant the provider access to BareMetalHosts and Secrets'],
    ['secrets', 'grant the provider access to Secrets'],
  ])('a refused request of a %s step names the access that step needs', (origin, hint) => {
    const failure = failureOf(forbidden(), 'doing it', origin);
    expect(failure).toMatchObject({ type: 'KubernetesApiError', nonRetryable: true });
    expect(failure.message).toBe(`doing it failed: secrets "snap" is forbidden; ${hint}`);
  });

  it('a transient API error is retried and carries no hint', () => {
    const failure = failureOf(new ApiException(503, 'Unavailable', '{}', {}), 'resolving the Machine', 'resolve');
    expect(failure).toMatchObject({ type: 'KubernetesApiError', nonRetryable: false });
    expect(failure.message).toBe('resolving the Machine failed: HTTP 503');
  });

  it('a configuration error of the resolve step is ConfigInvalid with its own message', () => {
    const err = new NodeTypeSelectionError('c1', { path: ['spec', 'nodeTypeRef'], message: 'no node type "gpu"' });
    const failure = failureOf(err, 'resolving the Machine', 'resolve');
    expect(failure).toMatchObject({ type: CONFIG_INVALID, nonRetryable: true, message: err.message });
  });

  it('a render error names the property and keeps its detail, which may quote the template, out', () => {
    const err = new MachineDataError(
      'vcluster.com/user-data-template',
      'template: line 3:7: bad',
      'secret-token-in-detail',
    );
    const failure = failureOf(err, 'rendering the Machine data', 'render');
    expect(failure).toMatchObject({ type: CONFIG_INVALID, nonRetryable: true, message: err.message });
    expect(failure.details).toEqual([{ property: 'vcluster.com/user-data-template' }]);
    expect(JSON.stringify([failure.message, failure.details])).not.toContain('secret-token-in-detail');
  });

  it('a render limit is RenderLimitExceeded naming the limit', () => {
    const err = new RenderLimitError(undefined, 'steps', 'rendering stopped after the step budget');
    const failure = failureOf(err, 'rendering the Machine data', 'render');
    expect(failure).toMatchObject({ type: RENDER_LIMIT_EXCEEDED, nonRetryable: true, details: [{ limit: 'steps' }] });
  });

  it('a helm error is HelmFailed saying what was deployed', () => {
    const err = new HelmCommandError('upgrade', 1, 'Error: chart not found');
    const failure = failureOf(err, 'deploying release ns/metal3', 'infra');
    expect(failure).toMatchObject({ type: 'HelmFailed', message: `deploying release ns/metal3: ${err.message}` });
  });

  it('typed failures and cancellation go through as they are', () => {
    const typed = ApplicationFailure.create({ type: 'HostNotClaimed', nonRetryable: true });
    const cancelled = new CancelledFailure('cancelled');
    expect(toApplicationFailure(typed, 'x', 'hosts')).toBe(typed);
    expect(toApplicationFailure(cancelled, 'x', 'render')).toBe(cancelled);
  });
});
