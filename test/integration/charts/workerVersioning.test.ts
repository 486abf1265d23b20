import { describe, expect, it } from 'vitest';
import { helmTemplate, type RenderedObject } from '../../support/helmCli.js';
import { useTestEnv } from '../../support/testEnv.js';

// The provider chart's `provisioningWorker.versioning`: operators upgrade workers by build id
// (docs/operations.md, "Upgrading workers"), so the flags the worker gets decide which build a Machine runs on.
const env = useTestEnv();

async function workerArgs(values: string[]): Promise<string[]> {
  const objects = await helmTemplate(env.helmPath, 'metal3-provider', {
    release: 'p',
    namespace: 'metal3-system',
    values,
  });
  const worker = objects.find(
    (o) => o.kind === 'Deployment' && o.metadata.name === 'p-metal3-provider-provisioning-worker',
  ) as (RenderedObject & { spec: { template: { spec: { containers: { args: string[] }[] } } } }) | undefined;
  const args = worker?.spec.template.spec.containers[0]?.args;
  if (!args) throw new Error('the chart rendered no provisioning worker container');
  return args;
}

const flag = (args: string[], name: string) => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
};

describe('provider chart: worker versioning', () => {
  it('leaves the worker unversioned by default', async () => {
    const args = await workerArgs([]);
    expect(args).not.toContain('--build-id');
    expect(args).not.toContain('--deployment-name');
  });

  it('registers the image tag as the build id, or the chart version without a tag', async () => {
    const tagged = await workerArgs([
      'provisioningWorker: { versioning: { enabled: true } }',
      'image: { tag: v1.4.2 }',
    ]);
    expect(flag(tagged, '--deployment-name')).toBe('metal3-provider-provisioning');
    expect(flag(tagged, '--build-id')).toBe('v1.4.2');
    const untagged = await workerArgs(['provisioningWorker: { versioning: { enabled: true } }']);
    expect(flag(untagged, '--build-id')).toBe('0.1.0');
  });

  it('takes an explicit build id and deployment name over the image tag', async () => {
    const args = await workerArgs([
      'provisioningWorker: { versioning: { enabled: true, buildId: 2026-12-a, deploymentName: fleet-east } }',
      'image: { tag: v1.4.2 }',
    ]);
    expect(flag(args, '--deployment-name')).toBe('fleet-east');
    expect(flag(args, '--build-id')).toBe('2026-12-a');
  });
});
