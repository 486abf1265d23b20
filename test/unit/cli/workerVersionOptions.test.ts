import { describe, expect, it } from 'vitest';
import {
  addWorkerVersionOptions,
  workerVersionOf,
  type WorkerVersionFlags,
} from '../../../cli/workerVersionOptions.js';
import { workerDeploymentOptions } from '../../../worker/workerVersion.js';
import { parseFlags } from './parseFlags.js';

const parse = (args: string[], env: Record<string, string> = {}): WorkerVersionFlags =>
  parseFlags(
    addWorkerVersionOptions,
    ['METAL3_PROVIDER_BUILD_ID', 'METAL3_PROVIDER_WORKER_DEPLOYMENT'],
    args,
    env,
  ) as WorkerVersionFlags;

describe('worker provisioning --build-id / --deployment-name', () => {
  it('runs unversioned without a build id, as before', () => {
    expect(workerVersionOf(parse([]))).toBeUndefined();
    expect(workerVersionOf(parse(['--deployment-name', 'fleet-a']))).toBeUndefined();
  });

  it('registers as that build of the default deployment, or of the one named (flags or environment)', () => {
    expect(workerVersionOf(parse(['--build-id', 'v1.4.0']))).toEqual({
      deploymentName: 'metal3-provider-provisioning',
      buildId: 'v1.4.0',
    });
    expect(
      workerVersionOf(
        parse([], { METAL3_PROVIDER_BUILD_ID: 'sha-0f3c2a1', METAL3_PROVIDER_WORKER_DEPLOYMENT: 'east' }),
      ),
    ).toEqual({ deploymentName: 'east', buildId: 'sha-0f3c2a1' });
  });

  it('refuses a build id or deployment name Temporal or an image tag would not take, naming the flag', () => {
    expect(() => parse(['--build-id', 'v1 4'])).toThrow(/--build-id "v1 4": an image tag/);
    expect(() => parse(['--build-id', 'x'.repeat(129)])).toThrow(/--build-id/);
    expect(() => parse(['--build-id', 'v1', '--deployment-name', 'a.b'])).toThrow(/--deployment-name "a.b"/);
  });

  it('a versioned worker defaults to AUTO_UPGRADE: Machine runs declare their own behaviour', () => {
    expect(workerDeploymentOptions({ deploymentName: 'd', buildId: 'b' })).toEqual({
      version: { deploymentName: 'd', buildId: 'b' },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    });
  });
});
