import { join } from 'node:path';
import { ApiextensionsV1Api, AuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chartsDir, helmTemplate, runHelm, runHelmWithValues, type RenderedObject } from '../../support/helmCli.js';
import { useTestEnv } from '../../support/testEnv.js';
import { readBack, strictDryRun } from './kubeRest.js';
import { specHelmValues } from './specHelmValues.js';

// Every chart installs onto the devstack's API server, and each object it renders passes a server-side
// dry run with strict field validation (the API server's OpenAPI schema, unknown fields rejected).
// No kubelet runs there, so nothing waits for pods; what is checked is what the API server stores
// and what the service accounts are allowed to do.
const env = useTestEnv();
const releases: { release: string; namespace: string }[] = [];

afterAll(async () => {
  for (const { release, namespace } of releases.reverse()) {
    await runHelm(env.helmPath, ['uninstall', release, '--namespace', namespace, '--kubeconfig', env.kubeconfigPath]);
  }
});

/** Dry-runs every rendered object strictly, installs the chart, and returns what was rendered. */
async function install(chart: string, release: string, values: string[]): Promise<RenderedObject[]> {
  const objects = await helmTemplate(env.helmPath, chart, { release, namespace: env.namespace, values });
  expect(objects.length).toBeGreaterThan(0);
  for (const object of objects) {
    await expect(
      strictDryRun(env.kubeConfig, object),
      `${object.kind} ${object.metadata.name}`,
    ).resolves.toBeUndefined();
  }
  await runHelmWithValues(
    env.helmPath,
    ['install', release, join(chartsDir, chart), '--namespace', env.namespace, '--kubeconfig', env.kubeconfigPath],
    values,
  );
  releases.push({ release, namespace: env.namespace });
  for (const object of objects) {
    const stored = await readBack(env.kubeConfig, object);
    expect(stored.metadata.labels, `${object.kind} ${object.metadata.name}`).toEqual(object.metadata.labels);
  }
  return objects;
}

function find(objects: RenderedObject[], kind: string, name: string): RenderedObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} was not rendered`);
  return found;
}

/** Whether a service account may do `verb` on `resource` (`name/subresource` allowed), as the API server's RBAC decides. */
async function can(
  serviceAccount: string,
  verb: string,
  group: string,
  resource: string,
  namespace?: string,
): Promise<boolean> {
  const api = env.kubeConfig.makeApiClient(AuthorizationV1Api);
  const [name, subresource] = resource.split('/');
  const review = await api.createSubjectAccessReview({
    body: {
      spec: {
        user: `system:serviceaccount:${env.namespace}:${serviceAccount}`,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${env.namespace}`, 'system:authenticated'],
        resourceAttributes: { verb, group, resource: name, subresource, ...(namespace && { namespace }) },
      },
    },
  });
  return review.status?.allowed ?? false;
}

describe('charts on the API server', () => {
  it('multus (spec example: namespace kube-system) installs the NetworkAttachmentDefinition CRD and the DaemonSet', async () => {
    // Cluster-scoped names derive from the release: one of this file's own.
    const release = `multus-${env.namespace}`;
    const objects = await install('multus', release, [await specHelmValues('deploy-multus-fragment.yaml', 'multus')]);
    const daemonSet = (await readBack(env.kubeConfig, find(objects, 'DaemonSet', release))) as RenderedObject & {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(daemonSet.metadata.namespace).toBe('kube-system');
    expect(daemonSet.spec.template.spec.containers[0]?.image).toBe(
      'ghcr.io/k8snetworkplumbingwg/multus-cni:snapshot-thick',
    );
    const crd = await readBack(
      env.kubeConfig,
      find(objects, 'CustomResourceDefinition', 'network-attachment-definitions.k8s.cni.cncf.io'),
    );
    expect(crd.metadata.name).toBe('network-attachment-definitions.k8s.cni.cncf.io');
  });

  it('metal3 (spec example) serves Ironic at the documented in-cluster URLs; BMO may work its namespace only', async () => {
    const objects = await install('metal3', 'metal3', [await specHelmValues('deploy-metal3-fragment.yaml', 'metal3')]);
    const service = (await readBack(env.kubeConfig, find(objects, 'Service', 'metal3-ironic'))) as RenderedObject & {
      spec: { ports: { name: string; port: number }[] };
    };
    expect(service.spec.ports.map((p) => [p.name, p.port])).toEqual([
      ['api', 6385],
      ['http', 6180],
    ]);
    const config = (await readBack(env.kubeConfig, find(objects, 'ConfigMap', 'metal3'))) as RenderedObject & {
      data: Record<string, string>;
    };
    expect(config.data.IRONIC_ENDPOINT).toBe(`http://metal3-ironic.${env.namespace}.svc:6385/v1/`);
    expect(config.data.DEPLOY_KERNEL_URL).toBe(
      `http://metal3-ironic.${env.namespace}.svc:6180/images/ironic-python-agent.kernel`,
    );
    const images = objects
      .filter((o) => o.kind === 'Deployment')
      .flatMap((o) => {
        const pod = (
          o as RenderedObject & { spec: { template: { spec: Record<string, { image: string }[] | undefined> } } }
        ).spec.template.spec;
        return [...(pod.initContainers ?? []), ...(pod.containers ?? [])].map((c) => c.image);
      });
    expect(new Set(images)).toEqual(
      new Set([
        'quay.io/metal3-io/baremetal-operator:v0.12.0',
        'quay.io/metal3-io/ironic:release-32.0',
        'quay.io/metal3-io/ironic-ipa-downloader:latest',
      ]),
    );
    const bmo = 'metal3-baremetal-operator';
    expect(await can(bmo, 'update', 'metal3.io', 'baremetalhosts', env.namespace)).toBe(true);
    expect(await can(bmo, 'update', 'metal3.io', 'baremetalhosts/status', env.namespace)).toBe(true);
    expect(await can(bmo, 'get', '', 'secrets', env.namespace)).toBe(true);
    expect(await can(bmo, 'update', 'coordination.k8s.io', 'leases', env.namespace)).toBe(true);
    expect(await can(bmo, 'list', 'metal3.io', 'baremetalhosts', 'default')).toBe(false);

    // The operator's API is there for it; the BareMetalHost CRD already on the cluster is left as it was.
    const crds = env.kubeConfig.makeApiClient(ApiextensionsV1Api);
    for (const plural of ['hardwaredata', 'hostfirmwaresettings', 'preprovisioningimages', 'hostupdatepolicies']) {
      expect((await crds.readCustomResourceDefinition({ name: `${plural}.metal3.io` })).spec.group).toBe('metal3.io');
    }
    const bmh = await crds.readCustomResourceDefinition({ name: 'baremetalhosts.metal3.io' });
    expect(bmh.spec.versions[0]?.schema?.openAPIV3Schema?.properties?.spec?.properties).toHaveProperty(
      'bootMACAddress',
    );
  });

  it('the DHCP server (bridge and hostNetwork examples) reaches Ironic through the metal3 URLs and only reads BareMetalHosts', async () => {
    const ironic = `proxy:\n  ironicHttpUrl: http://metal3-ironic.${env.namespace}.svc:6180\n  ironicApiUrl: http://metal3-ironic.${env.namespace}.svc:6385\n`;
    const bridge = await install('metal3-provider-dhcp-server', 'dhcp', [
      await specHelmValues('deploy-dhcp-bridge-fragment.yaml', 'dhcp'),
      ironic,
    ]);
    const name = 'dhcp-metal3-provider-dhcp-server';
    const nad = (await readBack(
      env.kubeConfig,
      find(bridge, 'NetworkAttachmentDefinition', name),
    )) as RenderedObject & {
      spec: { config: string };
    };
    expect(JSON.parse(nad.spec.config)).toMatchObject({
      type: 'bridge',
      ipam: { addresses: [{ address: '192.168.100.2/24' }] },
    });
    const config = (await readBack(env.kubeConfig, find(bridge, 'ConfigMap', name))) as RenderedObject & {
      data: Record<string, string>;
    };
    expect(parse(config.data['values.yaml'] ?? '')).toMatchObject({
      proxy: { ironicHttpUrl: `http://metal3-ironic.${env.namespace}.svc:6180` },
    });
    expect(await can(name, 'watch', 'metal3.io', 'baremetalhosts', env.namespace)).toBe(true);
    expect(await can(name, 'list', 'metal3.io', 'baremetalhosts', env.namespace)).toBe(true);
    expect(await can(name, 'update', 'metal3.io', 'baremetalhosts', env.namespace)).toBe(false);
    expect(await can(name, 'get', '', 'secrets', env.namespace)).toBe(false);
    expect(await can(name, 'list', 'metal3.io', 'baremetalhosts', 'default')).toBe(false);

    const hostNetwork = await install('metal3-provider-dhcp-server', 'dhcp-host', [
      await specHelmValues('deploy-dhcp-hostnetwork-fragment.yaml', 'dhcp'),
      ironic,
    ]);
    expect(hostNetwork.some((o) => o.kind === 'NetworkAttachmentDefinition')).toBe(false);
  });

  it('the provider (every component on) may do its Kubernetes work and nothing cluster-wide beyond it', async () => {
    const release = `provider-${env.namespace}`;
    const objects = await install('metal3-provider', release, [
      [
        'temporal:',
        '  address: temporal.example.internal:7233',
        '  apiKey: { secretName: temporal-api-key }',
        'codecKeys: { secretName: codec-keys }',
        'codecServer: { enabled: true, corsOrigins: ["http://localhost:8233"], token: { secretName: codec-token } }',
        'bootWorker: { enabled: true }',
        // The platform's namespace must exist: the provisioning worker's Role for its Secrets lives there.
        `platformNamespace: ${env.namespace}`,
      ].join('\n'),
    ]);
    const args = objects
      .filter((o) => o.kind === 'Deployment')
      .map((o) =>
        (
          o as RenderedObject & { spec: { template: { spec: { containers: { args: string[] }[] } } } }
        ).spec.template.spec.containers[0]?.args.slice(0, 2),
      );
    expect(args).toEqual(
      expect.arrayContaining([
        ['worker', 'provisioning'],
        ['controller'],
        ['worker', 'boot'],
        ['codec-server', '--listen'],
      ]),
    );
    // Each process has a service account of its own.
    const worker = `${release}-metal3-provider-provisioning-worker`;
    const controller = `${release}-metal3-provider-controller`;
    expect(await can(worker, 'update', 'metal3.io', 'baremetalhosts', env.namespace)).toBe(true);
    expect(await can(worker, 'create', 'metal3-provider.io', 'ipaddressallocations', env.namespace)).toBe(true);
    expect(await can(worker, 'create', '', 'secrets', env.namespace)).toBe(true);
    expect(await can(controller, 'patch', 'management.loft.sh', 'nodeclaims/status', env.namespace)).toBe(true);
    expect(await can(controller, 'create', 'management.loft.sh', 'nodeclaims', env.namespace)).toBe(true);
    expect(await can(worker, 'list', 'management.loft.sh', 'nodeproviders')).toBe(true);
    expect(await can(controller, 'update', 'coordination.k8s.io', 'leases', env.namespace)).toBe(true);
    for (const sa of [worker, controller]) {
      expect(await can(sa, 'update', 'coordination.k8s.io', 'leases', 'default')).toBe(false);
      expect(await can(sa, 'delete', 'management.loft.sh', 'nodeproviders')).toBe(false);
      expect(await can(sa, 'create', 'apps', 'deployments', env.namespace)).toBe(false);
    }
  });

  it('the strict dry run rejects what the schema does not know (the checks above can fail)', async () => {
    const [deployment] = (
      await helmTemplate(env.helmPath, 'metal3-provider', { release: 'typo', namespace: env.namespace })
    ).filter((o) => o.kind === 'Deployment') as (RenderedObject & {
      spec: { template: { spec: { containers: Record<string, unknown>[] } } };
    })[];
    if (!deployment) throw new Error('no Deployment rendered');
    deployment.spec.template.spec.containers[0] = {
      ...deployment.spec.template.spec.containers[0],
      argz: ['controller'],
    };
    await expect(strictDryRun(env.kubeConfig, deployment)).rejects.toThrow(
      /strict decoding error: unknown field .*containers\[0\]\.argz/,
    );
  });
});
