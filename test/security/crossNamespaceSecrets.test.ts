import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { useMachineStack } from '../support/machineStack.js';

/**
 * Attack: a tenant's NodeClaim (namespace A) names another tenant's Secret (`B/name`) as its join
 * Secret, to have B's join command copied into user data it can read. Expected: the Machine fails
 * before any Secret is read, with a message naming the property, where it was set and the rule, the
 * same whether B's Secret exists or not. Claims that keep to the rule provision normally meanwhile.
 */
const stack = useMachineStack({ hosts: 2, platformNamespace: () => `${stack.env.namespace}-platform` });
const core = () => stack.env.kubeConfig.makeApiClient(CoreV1Api);
const tenantA = () => stack.env.namespace;
const tenantB = () => `${stack.env.namespace}-b`;
const platform = () => `${stack.env.namespace}-platform`;

async function createSecret(namespace: string, name: string, joinCommand: string): Promise<void> {
  await core().createNamespacedSecret({ namespace, body: { metadata: { name }, stringData: { joinCommand } } });
}

async function userDataOf(host: string): Promise<string> {
  const bmh = await createBareMetalHostApi(stack.env.kubeConfig, tenantA()).get(host);
  const secret = await core().readNamespacedSecret({ name: bmh.spec.userData?.name ?? '', namespace: tenantA() });
  return Buffer.from(secret.data?.userData ?? '', 'base64').toString();
}

beforeAll(async () => {
  for (const name of [tenantB(), platform()]) await core().createNamespace({ body: { metadata: { name } } });
  await createSecret(tenantB(), 'b-join', 'echo B-JOIN-MARKER');
  await createSecret(tenantA(), 'a-join', 'echo A-JOIN-MARKER');
  await createSecret(platform(), 'platform-join', 'echo PLATFORM-JOIN-MARKER');
});

afterAll(async () => {
  for (const name of [tenantB(), platform()]) await core().deleteNamespace({ name });
});

describe('a Secret named by a tenant property', () => {
  it('refuses another tenant namespace with the same message whether the Secret exists or not', async () => {
    const failed = async (claimName: string) => {
      const handle = await stack.client.provisionMachine(
        stack.claim(claimName, { 'metal3-provider.io/join-secret': `${tenantB()}/b-join` }),
      );
      const outcome = await handle.result().then(
        () => 'completed',
        (error: unknown) => String((error as { cause?: unknown }).cause ?? error),
      );
      const status = await stack.waitForPhase(claimName, 'Failed');
      expect(status.host).toBeUndefined();
      const resolve = status.steps.find((s) => s.step === 'resolve');
      expect(resolve?.outcome).toBe('failed');
      // A failed Machine's status says why in `details` and in the failed step; the workflow fails with it.
      expect(status.details).toBe(resolve?.error);
      expect(outcome).toContain(resolve?.error ?? 'no error');
      // The claim's own name is the only difference allowed between the two messages.
      return (resolve?.error ?? '').replaceAll(claimName, '<claim>');
    };
    const existing = await failed('steal-existing');
    await core().deleteNamespacedSecret({ namespace: tenantB(), name: 'b-join' });
    const missing = await failed('steal-missing');

    expect(existing).toContain(`metal3-provider.io/join-secret "${tenantB()}/b-join"`);
    expect(existing).toContain(`set in NodeClaim "${tenantA()}/<claim>" properties`);
    expect(existing).toContain(`may name only the NodeClaim's own namespace "${tenantA()}"`);
    expect(existing).toContain(`the platform namespace "${platform()}"`);
    expect(existing).not.toContain('B-JOIN-MARKER');
    expect(missing).toBe(existing);
  });

  it("provisions a claim that names its own namespace's Secret or a bare name in the platform namespace", async () => {
    const ready = async (claimName: string, reference: string) => {
      const handle = await stack.client.provisionMachine(
        stack.claim(claimName, { 'metal3-provider.io/join-secret': reference }),
      );
      const status = await stack.waitForPhase(claimName, 'Ready', 90_000);
      return { handle, userData: await userDataOf(status.host ?? '') };
    };
    const [own, bare] = await Promise.all([
      ready('own-namespace', `${tenantA()}/a-join`),
      ready('platform-bare', 'platform-join'),
    ]);
    expect(own.userData).toContain('A-JOIN-MARKER');
    expect(bare.userData).toContain('PLATFORM-JOIN-MARKER');

    for (const { handle } of [own, bare]) {
      await handle.signal('release');
      expect((await handle.result()).phase).toBe('Released');
    }
  });
});
