import { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { useMachineStack } from '../../support/machineStack.js';
import { recordHistory } from '../../support/recordHistory.js';
import { historyText } from '../../support/historyText.js';

const stack = useMachineStack({ hosts: 3 });

async function setFault(host: string, failures: string | undefined) {
  const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
  for (;;) {
    const current = await hosts.get(host);
    const annotations = { ...current.metadata.annotations };
    if (failures === undefined) delete annotations['sim.metal3-provider/fail-provisioning'];
    else annotations['sim.metal3-provider/fail-provisioning'] = failures;
    current.metadata.annotations = annotations;
    try {
      await hosts.replace(current);
      return;
    } catch {
      // The simulator wrote in between; read again.
    }
  }
}

describe('operator actions and secrecy', () => {
  it('retry with otherHost releases the failing host, excludes it, and provisions on another', async () => {
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await expect
      .poll(
        async () => (await hosts.list()).items.filter((h) => h.status?.provisioning?.state === 'available').length,
        {
          timeout: 30_000,
        },
      )
      .toBe(3);
    const names = (await hosts.list()).items.map((h) => h.metadata.name);
    for (const name of names) await setFault(name, '99');

    await stack.client.provisionMachine(stack.claim('mover'));
    const stuck = await stack.waitForPhase('mover', 'Stuck');
    expect(stuck.details).toContain('{"otherHost": true}');
    const first = stuck.host ?? '';
    for (const name of names.filter((n) => n !== first)) await setFault(name, undefined);

    expect(
      await stack.client.retryMachine({ namespace: stack.env.namespace, name: 'mover' }, { otherHost: true }),
    ).toContain('on another host');
    const ready = await stack.waitForPhase('mover', 'Ready');
    expect(ready.host).toBeDefined();
    expect(ready.host).not.toBe(first);
    const left = await hosts.get(first);
    expect(left.spec.consumerRef).toBeUndefined();
    expect(left.spec.image).toBeUndefined();
    await setFault(first, undefined);
    await stack.client.releaseMachine({ namespace: stack.env.namespace, name: 'mover' });
    const handle = stack.client.handle({ namespace: stack.env.namespace, name: 'mover' });
    expect((await handle.result()).phase).toBe('Released');
    await recordHistory(handle, 'retry-on-other-host');
  });

  it('keeps user data, templates and join commands out of workflow history', async () => {
    const markers = ['MARKER-TEMPLATE-7f3a', 'MARKER-JOIN-91bc', 'MARKER-RENDERED-c0de'];
    await stack.secret('secretive-join', { joinCommand: `kubeadm join 10.0.0.1:6443 --token ${markers[1] ?? ''}` });
    const template = [
      '#cloud-config',
      'write_files:',
      '  - path: /etc/marker',
      `    content: "${markers[0] ?? ''} {{ printf "%s" "${markers[2] ?? ''}" }}"`,
      'runcmd:',
      '  - echo "Provisioning {{ .NodeClaim.Name }}"',
      '',
    ].join('\n');
    const handle = await stack.client.provisionMachine(
      stack.claim('secretive', {
        'vcluster.com/user-data-template': template,
        'metal3-provider.io/join-secret': `${stack.env.namespace}/secretive-join`,
      }),
    );
    const ready = await stack.waitForPhase('secretive', 'Ready');
    const host = await createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace).get(ready.host ?? '');
    const userData = await stack.env.kubeConfig
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ name: host.spec.userData?.name ?? '', namespace: stack.env.namespace });
    const rendered = Buffer.from(userData.data?.userData ?? '', 'base64').toString();
    for (const marker of markers) expect(rendered).toContain(marker);
    const status = await stack.client.getMachineStatus({ namespace: stack.env.namespace, name: 'secretive' });
    expect(status?.properties['vcluster.com/user-data-template']?.value).toMatch(/^\(redacted, \d+ characters\)$/);
    await handle.signal('release');
    expect((await handle.result()).phase).toBe('Released');

    const history = historyText(await handle.fetchHistory());
    // The decoded history does hold the workflow's own payloads: the Machine's name and its steps.
    expect(history).toContain('"name":"secretive"');
    expect(history).toContain('writeMachineData');
    for (const marker of markers) expect(history).not.toContain(marker);
  });
});
