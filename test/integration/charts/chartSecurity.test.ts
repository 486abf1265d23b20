import { describe, expect, it } from 'vitest';
import { HelmCommandError, helmTemplate, type RenderedObject } from '../../support/helmCli.js';
import { useTestEnv } from '../../support/testEnv.js';
import {
  allowedPorts,
  bindingProblems,
  boundServiceAccounts,
  clusterRoleProblems,
  networkPolicyProblems,
  podSecurityProblems,
  secretNamespaces,
  tokenProblems,
  workloads,
  type Exceptions,
} from './chartPolicy.js';
import { specHelmValues } from './specHelmValues.js';

// Every chart, rendered with the spec's example values (and the provider chart with every component on),
// grants least privilege and meets Pod Security "restricted" but for the exceptions its README documents.
const env = useTestEnv();
const NS = 'metal3-system';

const IRONIC =
  'proxy:\n  ironicHttpUrl: http://metal3-ironic.metal3-system.svc:6180\n  ironicApiUrl: http://metal3-ironic.metal3-system.svc:6385\n';

/** The provider chart with every component on, two tenants and the default platform namespace. */
const PROVIDER_ALL_ON = [
  'codecKeys: { secretName: codec-keys }',
  'codecServer: { enabled: true, corsOrigins: ["http://localhost:8233"], token: { secretName: codec-token } }',
  'bootWorker: { enabled: true }',
  'tenantNamespaces: [tenant-a, tenant-b]',
].join('\n');

const DHCP = 'dhcp-metal3-provider-dhcp-server';
const DHCP_EXCEPTIONS: Exceptions = { addCapabilities: { [`${DHCP}/boot-server`]: ['NET_BIND_SERVICE', 'NET_RAW'] } };

interface Case {
  chart: string;
  release: string;
  with: string;
  values: () => Promise<string[]>;
  exceptions: Exceptions;
}

const CASES: Case[] = [
  {
    chart: 'metal3',
    release: 'metal3',
    with: 'the spec example',
    values: async () => [await specHelmValues('deploy-metal3-fragment.yaml', 'metal3')],
    // Ironic's start scripts write their configuration into the image.
    exceptions: { writableRoot: ['metal3-ironic/ironic', 'metal3-ironic/ironic-httpd'] },
  },
  {
    chart: 'multus',
    release: 'multus',
    with: 'the spec example',
    values: async () => [await specHelmValues('deploy-multus-fragment.yaml', 'multus')],
    // A CNI plugin configures the node: host network and PID namespace, a privileged daemon.
    exceptions: { privileged: ['multus/kube-multus'], hostNetwork: ['multus'] },
  },
  ...(['bridge', 'macvlan'] as const).map((example) => ({
    chart: 'metal3-provider-dhcp-server',
    release: 'dhcp',
    with: `the spec's ${example} example`,
    values: async () => [await specHelmValues(`deploy-dhcp-${example}-fragment.yaml`, 'dhcp'), IRONIC],
    exceptions: DHCP_EXCEPTIONS,
  })),
  {
    chart: 'metal3-provider-dhcp-server',
    release: 'dhcp',
    with: "the spec's hostNetwork example",
    values: async () => [await specHelmValues('deploy-dhcp-hostnetwork-fragment.yaml', 'dhcp'), IRONIC],
    // On the host network the node's unprivileged port range applies: root, still only NET_BIND_SERVICE.
    exceptions: { ...DHCP_EXCEPTIONS, hostNetwork: [DHCP] },
  },
  { chart: 'metal3-provider', release: 'p', with: 'its defaults', values: () => Promise.resolve([]), exceptions: {} },
  {
    chart: 'metal3-provider',
    release: 'p',
    with: 'every component on',
    values: () => Promise.resolve([PROVIDER_ALL_ON]),
    exceptions: {},
  },
];

function render(chart: string, release: string, values: string[]): Promise<RenderedObject[]> {
  return helmTemplate(env.helmPath, chart, { release, namespace: NS, values });
}

function find(objects: RenderedObject[], kind: string, name: string): RenderedObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} was not rendered`);
  return found;
}

describe('chart privileges and pod security', () => {
  it.each(CASES)('$chart with $with', async ({ chart, release, values, exceptions }) => {
    const objects = await render(chart, release, await values());
    expect(workloads(objects).length).toBeGreaterThan(0);
    expect(clusterRoleProblems(objects)).toEqual([]);
    expect(bindingProblems(objects)).toEqual([]);
    expect(podSecurityProblems(objects, exceptions)).toEqual([]);
    expect(tokenProblems(objects)).toEqual([]);
    expect(networkPolicyProblems(objects)).toEqual([]);
  });

  it('the provider: Secrets only in the release, platform and tenant namespaces; each process its own identity', async () => {
    const objects = await render('metal3-provider', 'p', [PROVIDER_ALL_ON]);
    expect([...secretNamespaces(objects)].sort()).toEqual([NS, 'loft', 'tenant-a', 'tenant-b'].sort());
    const accounts = objects.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name);
    expect(accounts.sort()).toEqual(
      ['boot-worker', 'codec-server', 'controller', 'provisioning-worker'].map((c) => `p-metal3-provider-${c}`).sort(),
    );
    const pods = new Map(workloads(objects).map((w) => [w.name, w.pod]));
    for (const [name, pod] of pods) expect(pod.serviceAccountName, name).toBe(name);

    // The codec server: an account bound to nothing, and no token in its pod.
    const codec = 'p-metal3-provider-codec-server';
    expect(
      (find(objects, 'ServiceAccount', codec) as { automountServiceAccountToken?: boolean })
        .automountServiceAccountToken,
    ).toBe(false);
    expect(pods.get(codec)?.automountServiceAccountToken).toBe(false);
    expect(boundServiceAccounts(objects).has(`${NS}/${codec}`)).toBe(false);
    expect(allowedPorts(objects, codec)).toEqual(['8888/TCP']);
    // Nothing reaches the workers' metrics or the boot ports until peers are named; Ironic the callback proxy.
    expect(allowedPorts(objects, 'p-metal3-provider-provisioning-worker')).toEqual([]);
    expect(allowedPorts(objects, 'p-metal3-provider-controller')).toEqual([]);
    expect(allowedPorts(objects, 'p-metal3-provider-boot-worker')).toEqual(['8081/TCP']);

    // The platform namespace reaches the provisioning worker, the one component that resolves properties.
    const args = (name: string) =>
      (
        find(objects, 'Deployment', name) as RenderedObject & {
          spec: { template: { spec: { containers: { args: string[]; env: { name: string; value?: string }[] }[] } } };
        }
      ).spec.template.spec.containers[0];
    const worker = args('p-metal3-provider-provisioning-worker');
    expect(worker?.args.join(' ')).toContain('--platform-namespace loft');

    // Every pod's /tmp is an emptyDir (the root filesystem is read-only).
    for (const name of pods.keys()) {
      const spec = (
        find(objects, 'Deployment', name) as RenderedObject & {
          spec: { template: { spec: { volumes: { name: string; emptyDir?: object }[] } } };
        }
      ).spec.template.spec;
      expect(spec.volumes.find((v) => v.name === 'tmp')?.emptyDir, name).toEqual({});
    }
  });

  it('the provider: another platform namespace and further host namespaces move the Roles with them', async () => {
    const objects = await render('metal3-provider', 'p', [
      'platformNamespace: platform\nhostNamespaces: [hosts-b]\ntenantNamespaces: [t1, t1]\nbootWorker: { enabled: true, multusNamespace: "" }',
    ]);
    expect([...secretNamespaces(objects)].sort()).toEqual([NS, 'hosts-b', 'platform', 't1'].sort());
    const deployBindings = objects
      .filter((o) => o.kind === 'RoleBinding' && o.metadata.name === 'p-metal3-provider-boot-worker-deploy')
      .map((o) => o.metadata.namespace);
    expect(deployBindings.sort()).toEqual([NS, 'hosts-b'].sort());
  });

  it('the codec server needs a token Secret, and the provider a platform namespace', async () => {
    const refused = async (values: string): Promise<string> => {
      try {
        await render('metal3-provider', 'p', [values]);
      } catch (error) {
        if (error instanceof HelmCommandError) return error.output;
        throw error;
      }
      return 'rendered';
    };
    expect(await refused('codecKeys: { secretName: k }\ncodecServer: { enabled: true }')).toMatch(
      /codecServer\.enabled needs codecServer\.token\.secretName/,
    );
    expect(await refused('platformNamespace: ""')).toMatch(/platformNamespace is required/);
  });

  it('NetworkPolicies: the boot ports for the provisioning network, Ironic for BMO and the boot proxies; off by a value', async () => {
    const dhcp = await render('metal3-provider-dhcp-server', 'dhcp', [
      await specHelmValues('deploy-dhcp-bridge-fragment.yaml', 'dhcp'),
      IRONIC,
    ]);
    const policy = find(dhcp, 'NetworkPolicy', DHCP) as RenderedObject & {
      spec: { ingress: { from: { ipBlock?: { cidr: string } }[] }[] };
    };
    expect(policy.spec.ingress[0]?.from).toEqual([
      { ipBlock: { cidr: '192.168.100.0/24' } },
      { ipBlock: { cidr: '0.0.0.0/32' } },
    ]);
    expect(allowedPorts(dhcp, DHCP)).toEqual(['67/UDP', '69/UDP', '8080/TCP', '8081/TCP', '8081/TCP']);
    const metal3 = await render('metal3', 'metal3', []);
    expect(allowedPorts(metal3, 'metal3-ironic')).toEqual(['6385/TCP', '6180/TCP']);
    expect(allowedPorts(metal3, 'metal3-baremetal-operator')).toEqual([]);

    for (const [chart, release, values] of [
      ['metal3', 'metal3', 'networkPolicy: { enabled: false }'],
      ['metal3-provider-dhcp-server', 'dhcp', 'networkPolicy: { enabled: false }'],
      ['metal3-provider', 'p', `${PROVIDER_ALL_ON}\nnetworkPolicy: { enabled: false }`],
    ] as const) {
      const objects = await render(chart, release, [values]);
      expect(
        objects.filter((o) => o.kind === 'NetworkPolicy'),
        chart,
      ).toEqual([]);
      expect(networkPolicyProblems(objects).length, chart).toBeGreaterThan(0);
    }
  });

  it('the checks find what they look for (they can fail)', async () => {
    const objects = await render('metal3-provider', 'p', [PROVIDER_ALL_ON]);
    const copy = structuredClone(objects);
    const role = find(copy, 'ClusterRole', 'p-metal3-provider-controller') as RenderedObject & {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    role.rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] });
    expect(clusterRoleProblems(copy)).toEqual(['ClusterRole p-metal3-provider-controller grants get on Secrets']);

    const binding = find(copy, 'ClusterRoleBinding', 'p-metal3-provider-boot-worker') as RenderedObject & {
      roleRef: { name: string };
    };
    binding.roleRef.name = 'cluster-admin';
    expect(bindingProblems(copy)).toEqual([
      'ClusterRoleBinding p-metal3-provider-boot-worker binds the built-in cluster-admin',
    ]);

    const pod = workloads(copy).find((w) => w.name === 'p-metal3-provider-codec-server')?.pod;
    if (!pod) throw new Error('no codec server');
    delete pod.securityContext?.seccompProfile;
    const container = pod.containers[0];
    if (!container?.securityContext) throw new Error('no container security context');
    container.securityContext.capabilities = { drop: ['ALL'], add: ['NET_ADMIN'] };
    container.securityContext.readOnlyRootFilesystem = false;
    pod.automountServiceAccountToken = true;
    expect(podSecurityProblems(copy)).toEqual([
      "Deployment p-metal3-provider-codec-server: the pod's seccompProfile is not RuntimeDefault",
      'Deployment p-metal3-provider-codec-server container codec-server: adds capability NET_ADMIN',
      'Deployment p-metal3-provider-codec-server container codec-server: the root filesystem is writable',
    ]);
    expect(tokenProblems(copy)).toEqual([
      `Deployment p-metal3-provider-codec-server: mounts the token of ${NS}/p-metal3-provider-codec-server, which has no Kubernetes access to use it for`,
    ]);

    const withoutPolicy = objects.filter(
      (o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'p-metal3-provider-controller'),
    );
    expect(networkPolicyProblems(withoutPolicy)).toEqual([
      'Deployment p-metal3-provider-controller: no Ingress NetworkPolicy selects its pods',
    ]);
  });
});
