import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_GROUP, API_GROUP_VERSION } from '../../../api/objectMeta.js';
import { projectRoot } from '../../../devstack/devstack.js';
import { runCommand } from '../../../devstack/runCommand.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { useMachineStack } from '../../support/machineStack.js';

const environmentName = (namespace: string) => `dc-${namespace}`;

/** Properties on the NodeProvider itself: a user-data template, a DNS server and the NodeEnvironment to use. */
const stack = useMachineStack({
  hosts: 1,
  providerProperties: (namespace) => ({
    'vcluster.com/user-data-template': [
      '#cloud-config',
      'write_files:',
      '  - path: /etc/provider-marker',
      '    content: "PROVIDER-MARKER {{ .NodeClaim.Name }} dns={{ index .Properties "metal3.vcluster.com/dns-servers" }}"',
      '',
    ].join('\n'),
    'metal3.vcluster.com/dns-servers': '10.60.0.9',
    'vcluster.com/network-environment': environmentName(namespace),
  }),
});

/** `machine status` as users run it: the CLI against the devstack's Temporal. */
function machineStatus(name: string) {
  return runCommand(
    process.execPath,
    [join(projectRoot, 'bin', 'metal3-provider.js'), 'machine', 'status', name, '-n', stack.env.namespace],
    {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: stack.env.temporal.address,
        TEMPORAL_NAMESPACE: stack.env.temporal.namespace,
        KUBECONFIG: stack.env.kubeconfigPath,
      },
    },
  );
}

describe('NodeProvider properties', () => {
  it('reach the rendered user data and the status with their origin, under the node type, claim and environment', async () => {
    const { namespace } = stack.env;
    const environment = environmentName(namespace);
    await stack.env.kubeConfig.makeApiClient(CustomObjectsApi).createClusterCustomObject({
      group: API_GROUP,
      version: 'v1',
      plural: 'nodeenvironments',
      body: {
        apiVersion: API_GROUP_VERSION,
        kind: 'NodeEnvironment',
        metadata: { name: environment },
        spec: {
          properties: {
            'metal3.vcluster.com/network-cidr': '10.60.0.1/24',
            'metal3-provider.io/ntp-servers': '10.60.0.123',
          },
        },
      },
    });
    const handle = await stack.client.provisionMachine(
      stack.claim('pp1', {
        // Over the NodeProvider's value: the claim is the more specific object.
        'metal3.vcluster.com/dns-servers': '10.60.0.53',
        // Under the NodeEnvironment's value, which is merged last: the status says what it replaced.
        'metal3-provider.io/ntp-servers': '10.9.9.9',
      }),
    );
    const ready = await stack.waitForPhase('pp1', 'Ready');

    const providerOrigin = `NodeProvider "${stack.provider}" properties`;
    const claimOrigin = `NodeClaim "${namespace}/pp1" properties`;
    expect(ready.properties['vcluster.com/user-data-template']?.origin).toBe(providerOrigin);
    expect(ready.properties['vcluster.com/network-environment']).toEqual({
      value: environment,
      origin: providerOrigin,
    });
    expect(ready.properties['metal3.vcluster.com/dns-servers']).toEqual({ value: '10.60.0.53', origin: claimOrigin });
    expect(ready.properties['metal3-provider.io/ntp-servers']).toEqual({
      value: '10.60.0.123',
      origin: `NodeEnvironment "${environment}" (overrides "10.9.9.9" set in ${claimOrigin})`,
    });
    // The environment named by a NodeProvider property was used: the address is from its subnet.
    expect(ready.address).toMatch(/^10\.60\.0\.\d+\/24$/);

    const host = await createBareMetalHostApi(stack.env.kubeConfig, namespace).get(ready.host ?? '');
    const userDataSecret = await stack.env.kubeConfig
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ name: host.spec.userData?.name ?? '', namespace });
    const userData = Buffer.from(userDataSecret.data?.userData ?? '', 'base64').toString();
    expect(userData).toContain('PROVIDER-MARKER pp1 dns=10.60.0.53');

    const status = await machineStatus('pp1');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`vcluster.com/network-environment=${environment}  (${providerOrigin})`);
    expect(status.stdout).toContain(
      `metal3-provider.io/ntp-servers=10.60.0.123  (NodeEnvironment "${environment}" (overrides "10.9.9.9" set in ${claimOrigin}))`,
    );

    await handle.signal('release');
    expect((await handle.result()).phase).toBe('Released');
  });
});
