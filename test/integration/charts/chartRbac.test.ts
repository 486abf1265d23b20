import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { resolveTool } from '../../../devstack/resolveTool.js';
import { helmTemplate, type RenderedObject } from '../../support/helmCli.js';
import { useTestEnv } from '../../support/testEnv.js';
import { specHelmValues } from './specHelmValues.js';

// The provider chart's RBAC, applied on the devstack's API server: each identity may do what its process
// needs and no more, as `kubectl auth can-i --as=system:serviceaccount:…` answers. The boot worker then
// creates, as itself, everything the Metal3, DHCP server and Multus charts render (a server-side dry run,
// which runs the API server's RBAC escalation checks on their Roles and ClusterRoles).
const env = useTestEnv();
let kubectl: string;
let dir: string;
const applied: string[] = [];
const RBAC_KINDS = new Set(['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

/** The namespaces of this file: the release's, the platform's, a tenant's, Multus', and one not listed. */
const ns = {
  get release() {
    return env.namespace;
  },
  get platform() {
    return `${env.namespace}-platform`;
  },
  get tenant() {
    return `${env.namespace}-tenant`;
  },
  get multus() {
    return `${env.namespace}-multus`;
  },
  get other() {
    return `${env.namespace}-other`;
  },
};
const release = () => `rbac-${env.namespace}`;
const sa = (component: string) => `${release()}-metal3-provider-${component}`;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      kubectl,
      [...args, '--kubeconfig', env.kubeconfigPath],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 255) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function kubectlOk(args: string[]): Promise<string> {
  const result = await run(args);
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stdout}${result.stderr}`);
  return result.stdout;
}

async function writeObjects(name: string, objects: RenderedObject[]): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, objects.map((o) => `---\n${stringify(o)}`).join(''));
  return file;
}

/**
 * `kubectl auth can-i` as a service account of the release namespace. `what` is `<verb> <resource>`, with
 * `-n <namespace>`, `-A` or `--subresource=…` as kubectl takes them; exit 0 means yes, 1 no.
 */
async function can(account: string, ...what: string[]): Promise<boolean> {
  const result = await run(['auth', 'can-i', `--as=system:serviceaccount:${ns.release}:${account}`, ...what]);
  if (result.code !== 0 && result.code !== 1) throw new Error(`kubectl auth can-i ${what.join(' ')}: ${result.stderr}`);
  return result.code === 0;
}

beforeAll(async () => {
  kubectl = (await resolveTool('kubectl')).path;
  dir = await mkdtemp(join(tmpdir(), 'chart-rbac-'));
  const core = env.kubeConfig.makeApiClient(CoreV1Api);
  for (const name of [ns.platform, ns.tenant, ns.multus, ns.other]) {
    await core.createNamespace({ body: { metadata: { name } } });
  }
  const objects = await helmTemplate(env.helmPath, 'metal3-provider', {
    release: release(),
    namespace: ns.release,
    values: [
      [
        `platformNamespace: ${ns.platform}`,
        `tenantNamespaces: [${ns.tenant}]`,
        'codecKeys: { secretName: codec-keys }',
        'codecServer: { enabled: true, token: { secretName: codec-token } }',
        `bootWorker: { enabled: true, multusNamespace: ${ns.multus} }`,
      ].join('\n'),
    ],
  });
  const file = await writeObjects(
    'provider-rbac',
    objects.filter((o) => RBAC_KINDS.has(o.kind)),
  );
  await kubectlOk(['apply', '-f', file]);
  applied.push(file);
  // An account bound to nothing, to compare the codec server's with.
  await kubectlOk(['create', 'serviceaccount', 'nobody', '-n', ns.release]);
}, 120_000);

afterAll(async () => {
  for (const file of applied) await run(['delete', '--ignore-not-found', '--wait=false', '-f', file]);
  for (const name of [ns.platform, ns.tenant, ns.multus, ns.other])
    await run(['delete', 'namespace', name, '--wait=false']);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the provider chart RBAC on the API server', () => {
  it('provisioning worker: hosts, addresses and Machine Secrets in the release namespace; reads platform and tenant Secrets; nothing more', async () => {
    const w = sa('provisioning-worker');
    for (const verb of ['get', 'list', 'watch', 'update']) {
      expect(await can(w, verb, 'baremetalhosts.metal3.io', '-n', ns.release), verb).toBe(true);
    }
    for (const verb of ['get', 'list', 'create', 'delete']) {
      expect(await can(w, verb, 'ipaddressallocations.metal3-provider.io', '-n', ns.release), verb).toBe(true);
    }
    // deletecollection: a Machine's Secrets go in one call, by its labels.
    for (const verb of ['get', 'list', 'create', 'update', 'delete', 'deletecollection']) {
      expect(await can(w, verb, 'secrets', '-n', ns.release), verb).toBe(true);
    }
    expect(await can(w, 'get', 'secrets', '-n', ns.platform)).toBe(true);
    expect(await can(w, 'get', 'secrets', '-n', ns.tenant)).toBe(true);
    expect(await can(w, 'list', 'nodeproviders.management.loft.sh')).toBe(true);
    expect(await can(w, 'get', 'nodeclaims.management.loft.sh', '-n', ns.tenant)).toBe(true);
    expect(await can(w, 'get', 'osimages.management.loft.sh')).toBe(true);
    expect(await can(w, 'create', 'events', '-n', ns.release)).toBe(true);

    // No more: a namespace not listed, other verbs on the read-only namespaces, anything cluster-wide.
    expect(await can(w, 'get', 'secrets', '-n', ns.other)).toBe(false);
    expect(await can(w, 'get', 'secrets', '-n', ns.multus)).toBe(false);
    expect(await can(w, 'list', 'secrets', '-A')).toBe(false);
    for (const namespace of [ns.platform, ns.tenant]) {
      for (const verb of ['list', 'watch', 'create', 'update', 'delete', 'deletecollection']) {
        expect(await can(w, verb, 'secrets', '-n', namespace), `${verb} in ${namespace}`).toBe(false);
      }
    }
    expect(await can(w, 'get', 'baremetalhosts.metal3.io', '-n', ns.other)).toBe(false);
    expect(await can(w, 'delete', 'baremetalhosts.metal3.io', '-n', ns.release)).toBe(false);
    expect(await can(w, 'update', 'nodeclaims.management.loft.sh', '-n', ns.tenant)).toBe(false);
    expect(await can(w, 'delete', 'nodeproviders.management.loft.sh')).toBe(false);
    expect(await can(w, 'create', 'clusterrolebindings.rbac.authorization.k8s.io')).toBe(false);
    expect(await can(w, 'create', 'rolebindings.rbac.authorization.k8s.io', '-n', ns.release)).toBe(false);
    expect(await can(w, 'create', 'pods', '-n', ns.release)).toBe(false);
    expect(await can(w, 'impersonate', 'serviceaccounts', '-n', ns.release)).toBe(false);
  });

  it('controller: NodeClaims, their status and Events everywhere, host reads, its Lease; no Secrets', async () => {
    const c = sa('controller');
    for (const verb of ['list', 'watch'])
      expect(await can(c, verb, 'nodeclaims.management.loft.sh', '-A'), verb).toBe(true);
    for (const verb of ['get', 'create', 'update']) {
      expect(await can(c, verb, 'nodeclaims.management.loft.sh', '-n', ns.tenant), verb).toBe(true);
    }
    expect(await can(c, 'update', 'nodeclaims.management.loft.sh', '--subresource=status', '-n', ns.tenant)).toBe(true);
    expect(await can(c, 'watch', 'baremetalhosts.metal3.io', '-A')).toBe(true);
    expect(await can(c, 'create', 'events', '-n', ns.tenant)).toBe(true);
    expect(await can(c, 'update', 'leases.coordination.k8s.io', '-n', ns.release)).toBe(true);

    for (const namespace of [ns.release, ns.platform, ns.tenant, ns.other]) {
      expect(await can(c, 'get', 'secrets', '-n', namespace), namespace).toBe(false);
    }
    expect(await can(c, 'update', 'baremetalhosts.metal3.io', '-n', ns.release)).toBe(false);
    expect(await can(c, 'update', 'leases.coordination.k8s.io', '-n', ns.other)).toBe(false);
    expect(await can(c, 'delete', 'nodeclaims.management.loft.sh', '-n', ns.tenant)).toBe(false);
    expect(await can(c, 'create', 'clusterrolebindings.rbac.authorization.k8s.io')).toBe(false);
  });

  it('codec server: nothing beyond what every account has', async () => {
    const codec = sa('codec-server');
    for (const [verb, resource] of [
      ['get', 'secrets'],
      ['list', 'pods'],
      ['get', 'configmaps'],
      ['create', 'events'],
      ['get', 'baremetalhosts.metal3.io'],
      ['list', 'nodeclaims.management.loft.sh'],
    ] as const) {
      expect(await can(codec, verb, resource, '-n', ns.release), `${verb} ${resource}`).toBe(false);
    }
    const rules = async (account: string) =>
      (
        await kubectlOk([
          'auth',
          'can-i',
          '--list',
          '-n',
          ns.release,
          `--as=system:serviceaccount:${ns.release}:${account}`,
        ])
      )
        .split('\n')
        .sort();
    const codecRules = await rules(codec);
    expect(codecRules).toEqual(await rules('nobody'));
    // ...and the comparison sees a difference where there is one.
    expect(await rules(sa('controller'))).not.toEqual(codecRules);
  });

  it('boot worker: reads hosts, deploys the charts in the listed namespaces only; helm releases are its only Secrets', async () => {
    const b = sa('boot-worker');
    expect(await can(b, 'watch', 'baremetalhosts.metal3.io', '-n', ns.release)).toBe(true);
    expect(await can(b, 'create', 'customresourcedefinitions.apiextensions.k8s.io')).toBe(true);
    expect(await can(b, 'create', 'namespaces')).toBe(true);
    expect(await can(b, 'create', 'clusterroles.rbac.authorization.k8s.io')).toBe(true);
    expect(await can(b, 'create', 'clusterrolebindings.rbac.authorization.k8s.io')).toBe(true);
    for (const namespace of [ns.release, ns.multus]) {
      expect(await can(b, 'create', 'deployments.apps', '-n', namespace), namespace).toBe(true);
      expect(await can(b, 'patch', 'daemonsets.apps', '-n', namespace), namespace).toBe(true);
      expect(await can(b, 'create', 'rolebindings.rbac.authorization.k8s.io', '-n', namespace), namespace).toBe(true);
    }
    for (const verb of ['get', 'list', 'create', 'update', 'delete']) {
      expect(await can(b, verb, 'secrets', '-n', ns.release), verb).toBe(true);
    }

    for (const namespace of [ns.platform, ns.tenant, ns.multus, ns.other]) {
      expect(await can(b, 'get', 'secrets', '-n', namespace), namespace).toBe(false);
    }
    expect(await can(b, 'list', 'secrets', '-A')).toBe(false);
    expect(await can(b, 'create', 'deployments.apps', '-n', ns.other)).toBe(false);
    expect(await can(b, 'create', 'pods', '-n', ns.other)).toBe(false);
    expect(await can(b, 'update', 'customresourcedefinitions.apiextensions.k8s.io')).toBe(false);
    expect(await can(b, 'escalate', 'clusterroles.rbac.authorization.k8s.io')).toBe(false);
    expect(await can(b, 'bind', 'clusterroles.rbac.authorization.k8s.io')).toBe(false);
    expect(await can(b, 'impersonate', 'serviceaccounts', '-n', ns.release)).toBe(false);
    expect(await can(b, 'delete', 'nodes')).toBe(false);
    expect(await can(b, 'delete', 'namespaces')).toBe(false);
  });

  it('boot worker: the API server lets it create everything the Metal3, DHCP server and Multus charts render', async () => {
    const rendered = [
      // Cluster-scoped names derive from the release: one of this file's own.
      ...(await helmTemplate(env.helmPath, 'multus', {
        release: `multus-${env.namespace}`,
        namespace: ns.release,
        values: [await specHelmValues('deploy-multus-fragment.yaml', 'multus'), `namespace: ${ns.multus}`],
      })),
      ...(await helmTemplate(env.helmPath, 'metal3', {
        release: 'metal3',
        namespace: ns.release,
        values: [await specHelmValues('deploy-metal3-fragment.yaml', 'metal3')],
      })),
      ...(await helmTemplate(env.helmPath, 'metal3-provider-dhcp-server', {
        release: 'metal3-provider-dhcp-server',
        namespace: ns.release,
        values: [await specHelmValues('deploy-dhcp-bridge-fragment.yaml', 'dhcp')],
      })),
    ];
    // CRDs are created only when missing (a can-i above); the NetworkAttachmentDefinition kind must exist.
    const crds = rendered.filter((o) => o.kind === 'CustomResourceDefinition');
    const nad = crds.filter((o) => o.metadata.name === 'network-attachment-definitions.k8s.cni.cncf.io');
    expect(nad).toHaveLength(1);
    const created = await run(['create', '-f', await writeObjects('nad-crd', nad)]);
    if (created.code !== 0 && !/AlreadyExists/.test(created.stderr)) throw new Error(created.stderr);
    await kubectlOk(['wait', '--for=condition=Established', 'crd/network-attachment-definitions.k8s.cni.cncf.io']);

    const objects = rendered.filter((o) => o.kind !== 'CustomResourceDefinition');
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of [
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'DaemonSet',
      'Deployment',
      'NetworkPolicy',
    ]) {
      expect(kinds.has(kind), kind).toBe(true);
    }
    const file = await writeObjects('infra', objects);
    const asBootWorker = `--as=system:serviceaccount:${ns.release}:${sa('boot-worker')}`;
    // Created for real, as helm creates them: a RoleBinding is checked against the Role it binds.
    applied.push(file);
    const result = await run(['apply', asBootWorker, '-f', file]);
    expect(result.stderr, result.stdout).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(objects.length);

    // The same as the provisioning worker is refused: the check sees a missing permission.
    const refused = await run([
      'apply',
      '--dry-run=server',
      `--as=system:serviceaccount:${ns.release}:${sa('provisioning-worker')}`,
      '-f',
      file,
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/forbidden/);
  });
});
