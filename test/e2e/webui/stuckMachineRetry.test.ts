import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { machineWorkflowId } from '../../../contracts/machineContract.js';
import { useMachineStack } from '../../support/machineStack.js';
import {
  becomesVisible,
  currentDetails,
  launchChromium,
  reloadUntil,
  ScreenshotSteps,
  searchWorkflows,
  sendSignalFromWorkflowPage,
} from '../../support/webUi.js';

const FAIL_PROVISIONING = 'sim.metal3-provider/fail-provisioning';

const stack = useMachineStack({ hosts: 2 });
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await browser?.close();
});

/** Sets or clears the simulator's provisioning fault on a host (re-reading when the simulator wrote in between). */
async function setFault(host: string, failures: string | undefined): Promise<void> {
  const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
  for (;;) {
    const current = await hosts.get(host);
    const { [FAIL_PROVISIONING]: _previous, ...others } = current.metadata.annotations ?? {};
    current.metadata.annotations = failures === undefined ? others : { ...others, [FAIL_PROVISIONING]: failures };
    try {
      await hosts.replace(current);
      return;
    } catch {
      // Conflict with the simulator's status write; read again.
    }
  }
}

describe('Temporal Web UI', () => {
  it('finds a Stuck Machine by MachinePhase, shows why, and a retry signal sent from the UI makes it Ready', async () => {
    const { namespace } = stack.env;
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, namespace);
    await expect
      .poll(
        async () => (await hosts.list()).items.filter((h) => h.status?.provisioning?.state === 'available').length,
        {
          timeout: 30_000,
        },
      )
      .toBe(2);
    const [flakyHost, goodHost] = (await hosts.list()).items.map((h) => h.metadata.name);
    if (!flakyHost || !goodHost) throw new Error('expected two simulated hosts');
    // Fails every attempt until the test clears it (BMO keeps retrying while the Machine is Stuck).
    await setFault(flakyHost, '100000');

    // A Ready Machine next to the stuck one: the filter must leave it out.
    const healthy = await stack.client.provisionMachine(
      stack.claim('webui-healthy', { 'metal3.vcluster.com/server-name': goodHost }),
    );
    await stack.waitForPhase('webui-healthy', 'Ready');
    const stuckHandle = await stack.client.provisionMachine(
      stack.claim('webui-stuck', { 'metal3.vcluster.com/server-name': flakyHost }),
    );
    const stuck = await stack.waitForPhase('webui-stuck', 'Stuck');
    expect(stuck.host).toBe(flakyHost);
    const stuckId = machineWorkflowId({ namespace, name: 'webui-stuck' });
    const healthyId = machineWorkflowId({ namespace, name: 'webui-healthy' });

    const shots = new ScreenshotSteps(page, 'webui');
    const ui = stack.env.temporalUiUrl;
    const temporalNamespace = encodeURIComponent(stack.env.temporal.namespace);
    const stuckRow = page.getByRole('link', { name: stuckId, exact: true });

    await shots.step('stuck-machines-list', async () => {
      await page.goto(`${ui}/namespaces/${temporalNamespace}/workflows`);
      await searchWorkflows(page, 'MachinePhase="Stuck"');
      // Visibility is eventually consistent: reload the filtered list until the row is there.
      await reloadUntil(page, `${stuckId} under MachinePhase="Stuck"`, () => becomesVisible(stuckRow));
      expect(await page.getByRole('link', { name: healthyId, exact: true }).count()).toBe(0);
    });

    await shots.step('stuck-machine-current-details', async () => {
      await stuckRow.click();
      await page.getByRole('heading', { name: stuckId }).waitFor();
      await page.getByRole('tab', { name: 'User Metadata' }).click();
      const details = currentDetails(page);
      await details.getByText('Provisioning failed').waitFor();
      const text = await details.locator('body').innerText();
      expect(text).toContain('Stuck — Provisioning failed 2 time(s)');
      expect(text).toContain(`on BareMetalHost ${flakyHost}`);
      expect(text).toContain('Image provisioning failed: deploy step write_image failed');
      expect(text).toContain('send the signal retry');
    });

    await setFault(flakyHost, undefined);

    await shots.step('retry-signal-sent', async () => {
      const offered = await sendSignalFromWorkflowPage(page, 'retry');
      // The dialog offers the signals the workflow declares (its metadata query), not only free text.
      expect(offered).toEqual(expect.arrayContaining(['retry', 'release']));
    });

    // The client's status query is the source of truth; the UI must then show the same.
    const ready = await stack.waitForPhase('webui-stuck', 'Ready');
    expect(ready.host).toBe(flakyHost);
    // The retry went to the run that was Stuck; once Ready the Machine continues as new.
    const history = await stack.env.temporal.client.workflow
      .getHandle(stuckHandle.workflowId, stuckHandle.firstExecutionRunId)
      .fetchHistory();
    const signals = (history.events ?? []).flatMap((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? []);
    expect(signals).toEqual(['retry']);

    await shots.step('ready-current-details', async () => {
      await reloadUntil(page, 'current details "Ready"', async () => {
        await page.getByRole('tab', { name: 'User Metadata' }).click();
        const details = currentDetails(page);
        await details.locator('strong').first().waitFor();
        return (await details.locator('body').innerText()).startsWith('Ready');
      });
      const text = await currentDetails(page).locator('body').innerText();
      expect(text).toContain(`provisioned on BareMetalHost ${flakyHost}`);
    });

    await shots.step('ready-search-attributes', async () => {
      await page.getByRole('tab', { name: 'Search Attributes' }).click();
      await page.getByText('"MachinePhase": "Ready"').waitFor();
    });

    await shots.step('ready-machines-list', async () => {
      await page.goto(`${ui}/namespaces/${temporalNamespace}/workflows`);
      // Running runs only: the Stuck run that continued as new when Ready is listed too, closed.
      await searchWorkflows(page, 'MachinePhase="Ready" AND ExecutionStatus="Running"');
      await reloadUntil(page, `${stuckId} under MachinePhase="Ready"`, () => becomesVisible(stuckRow));
    });

    for (const handle of [stuckHandle, healthy]) {
      await handle.signal('release');
      expect((await handle.result()).phase).toBe('Released');
    }
  });
});
