import { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  MACHINE_NAME_LABEL,
  MACHINE_NAMESPACE_LABEL,
  createSecretActivities,
  machineSecretName,
} from '../../../activities/secrets/index.js';
import { useTestEnv } from '../../support/testEnv.js';
import { runActivity } from './hostTestKit.js';

const env = useTestEnv();

describe('machine Secrets', () => {
  it('writes user, network and meta data Secrets labelled with the Machine, idempotently, and deletes every Secret so labelled', async () => {
    const core = env.kubeConfig.makeApiClient(CoreV1Api);
    const activities = createSecretActivities({ kubeConfig: env.kubeConfig, namespace: env.namespace });
    const machine = { namespace: 'team-a', name: 'web-1' };
    const input = {
      machine,
      userData: '#cloud-config\nhostname: web-1\n',
      networkData: '{"links":[]}',
      metaData: '{"uuid":"x"}',
    };

    const names = await runActivity(activities.writeMachineSecrets, input);
    expect(names).toEqual({
      userData: machineSecretName(machine, 'userData'),
      networkData: machineSecretName(machine, 'networkData'),
      metaData: machineSecretName(machine, 'metaData'),
    });
    const again = await runActivity(activities.writeMachineSecrets, {
      ...input,
      userData: '#cloud-config\nhostname: web-1b\n',
    });
    expect(again).toEqual(names);

    const secret = await core.readNamespacedSecret({ namespace: env.namespace, name: names.userData ?? '' });
    expect(Buffer.from(secret.data?.userData ?? '', 'base64').toString()).toBe('#cloud-config\nhostname: web-1b\n');
    expect(secret.metadata?.labels).toMatchObject({
      [MACHINE_NAME_LABEL]: 'web-1',
      [MACHINE_NAMESPACE_LABEL]: 'team-a',
    });

    const sameNameElsewhere = { namespace: 'team-b', name: 'web-1' };
    const other = await runActivity(activities.writeMachineSecrets, { machine: sameNameElsewhere, userData: 'x' });
    expect(other.userData).not.toBe(names.userData);

    // Any other Secret carrying the Machine's labels (the snapshot is one) goes with them.
    const snapshot = 'web-1-snapshot';
    await core.createNamespacedSecret({
      namespace: env.namespace,
      body: { metadata: { name: snapshot, labels: secret.metadata?.labels }, stringData: { snapshot: '{}' } },
    });
    const deleted = await runActivity(activities.deleteMachineSecrets, { machine });
    expect(deleted.deleted.sort()).toEqual([names.userData, names.networkData, names.metaData, snapshot].sort());
    expect(await runActivity(activities.deleteMachineSecrets, { machine })).toEqual({ deleted: [] });
    const left = await core.listNamespacedSecret({ namespace: env.namespace });
    expect(left.items.map((s) => s.metadata?.name)).toEqual([other.userData]);
  });
});
