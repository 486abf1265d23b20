import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { helmTemplate, type RenderedObject } from '../../support/helmCli.js';
import { useTestEnv } from '../../support/testEnv.js';

// The provider chart's provisioning worker. `versioning`: operators upgrade workers by build id
// (docs/operations.md, "Upgrading workers"), so the flags the worker gets decide which build a Machine runs on.
// `nodeArgs`: Node's own options (docs/operations.md, "Sizing a provisioning worker").
const env = useTestEnv();

interface Container {
  command?: string[];
  args: string[];
}

async function workerContainer(values: string[]): Promise<Container> {
  const objects = await helmTemplate(env.helmPath, 'metal3-provider', {
    release: 'p',
    namespace: 'metal3-system',
    values,
  });
  const worker = objects.find(
    (o) => o.kind === 'Deployment' && o.metadata.name === 'p-metal3-provider-provisioning-worker',
  ) as (RenderedObject & { spec: { template: { spec: { containers: Container[] } } } }) | undefined;
  const container = worker?.spec.template.spec.containers[0];
  if (!container) throw new Error('the chart rendered no provisioning worker container');
  return container;
}

async function workerArgs(values: string[]): Promise<string[]> {
  return (await workerContainer(values)).args;
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

describe('provider chart: Node options of the provisioning worker', () => {
  it("runs the image's entrypoint by default", async () => {
    expect((await workerContainer([])).command).toBeUndefined();
  });

  it("runs node with the options on the image's CLI script, with the same arguments", async () => {
    const plain = await workerContainer([]);
    const lean = await workerContainer(['provisioningWorker: { nodeArgs: [--optimize-for-size] }']);
    const dockerfile = await readFile(new URL('../../../Dockerfile', import.meta.url), 'utf8');
    // The script the image's entrypoint links to, so the command runs the same CLI.
    const script = /^RUN ln -s (\S+) \/usr\/local\/bin\/metal3-provider$/m.exec(dockerfile)?.[1];
    expect(script).toBe('/app/bin/metal3-provider.js');
    expect(lean.command).toEqual(['node', '--optimize-for-size', script]);
    expect(lean.args).toEqual(plain.args);
  });
});
