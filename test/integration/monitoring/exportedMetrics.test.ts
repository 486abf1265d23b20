import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../../devstack/devstack.js';
import { freePort } from '../../../devstack/freePort.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { startKubeApiProxy, type KubeApiProxy } from '../../support/kubeApiProxy.js';
import { useMachineStack } from '../../support/machineStack.js';
import { reclaim } from '../reclaim/reclaimKit.js';
import { metricNames } from '../../unit/monitoring/promqlMetricNames.js';

// Every metric the alerting rules and the fleet dashboard query is one a real scrape exposes: a
// provisioning worker (the CLI, `--metrics-address`) that provisioned a Machine, lost a claim to a
// conflict and ran a fleet reclaim, and a boot worker (`--metrics-address` and `--temporal-metrics-address`).
const stack = useMachineStack({ hosts: 8, worker: false });
const filesDir = join(projectRoot, 'charts', 'metal3-provider', 'files');
const children: ChildProcess[] = [];
let proxy: KubeApiProxy;

beforeAll(async () => {
  proxy = await startKubeApiProxy(stack.env.kubeconfigPath, mkdtempSync(join(tmpdir(), 'monitoring-proxy-')));
});

function cli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'metal3-provider.js'), ...args], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit').then(() => true);
    child.kill('SIGTERM');
    const stopped = await Promise.race([
      exited,
      new Promise<false>((r) =>
        setTimeout(() => {
          r(false);
        }, 10_000),
      ),
    ]);
    if (!stopped) child.kill('SIGKILL');
  }
  await proxy.close();
});

async function scrape(url: string): Promise<string> {
  try {
    const response = await fetch(url);
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
}

/** Metric names a scrape exposes: every sample's name, and every family its TYPE line declares. */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)/.exec(line);
    if (type) {
      const [, name = '', kind] = type;
      names.add(name);
      if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample?.[1]) names.add(sample[1]);
  }
  return names;
}

/** Every PromQL expression of the rules file and the dashboard, with where it is. */
async function queries(): Promise<{ where: string; expr: string }[]> {
  const rules = parse(await readFile(join(filesDir, 'alerts.yaml'), 'utf8')) as {
    groups: { rules: { alert?: string; record?: string; expr: string }[] }[];
  };
  const dashboard = JSON.parse(await readFile(join(filesDir, 'fleet-dashboard.json'), 'utf8')) as {
    panels: { title: string; targets?: { refId: string; expr: string }[] }[];
  };
  return [
    ...rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `rule ${r.alert ?? r.record}`, expr: r.expr }))),
    ...dashboard.panels.flatMap((p) =>
      (p.targets ?? []).map((t) => ({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr })),
    ),
  ];
}

describe('alerts and dashboard query only exported metrics', () => {
  it('every metric of every rule and panel is in a scrape of a running provisioning and boot worker', async () => {
    const temporal = { TEMPORAL_ADDRESS: stack.env.temporal.address, TEMPORAL_NAMESPACE: stack.env.temporal.namespace };
    const ports = {
      provisioning: await freePort(),
      boot: await freePort(),
      bootTemporal: await freePort(),
      dhcp: await freePort(),
      tftp: await freePort(),
      http: await freePort(),
      callback: await freePort(),
    };
    cli(
      [
        ...['worker', 'provisioning', '--task-queue', stack.env.taskQueue],
        ...['--metrics-address', `127.0.0.1:${ports.provisioning}`],
      ],
      { ...temporal, KUBECONFIG: proxy.kubeconfigPath },
    );
    cli(
      [
        ...['worker', 'boot', '--set', 'dhcp.serverIP=127.0.0.1', '--set', `dhcp.listenAddr=127.0.0.1:${ports.dhcp}`],
        ...['--set', `tftp.listenAddr=127.0.0.1:${ports.tftp}`, '--set', `http.listenAddr=127.0.0.1:${ports.http}`],
        ...['--set', `http.advertiseUrl=http://127.0.0.1:${ports.http}`],
        ...['--set', `proxy.callbackListenAddr=127.0.0.1:${ports.callback}`],
        ...['--set', `proxy.callbackAdvertiseUrl=http://127.0.0.1:${ports.callback}`],
        ...['--set', 'proxy.ironicHttpUrl=http://127.0.0.1:9', '--set', 'proxy.ironicApiUrl=http://127.0.0.1:9'],
        ...['--boot-files-dir', mkdtempSync(join(tmpdir(), 'monitoring-boot-'))],
        ...['--watch-namespace', stack.env.namespace, '--kubeconfig', stack.env.kubeconfigPath],
        ...['--helm', stack.env.helmPath, '--log-level', 'warn'],
        ...['--metrics-address', `127.0.0.1:${ports.boot}`],
        ...['--temporal-metrics-address', `127.0.0.1:${ports.bootTemporal}`],
        // Its own queue: the infrastructure queue of this test file, not the provisioning worker's.
        ...['--task-queue', `${stack.env.taskQueue}-infra`],
      ],
      temporal,
    );
    const provisioningMetrics = `http://127.0.0.1:${ports.provisioning}/metrics`;

    // A Machine provisioned end to end: phase entries and step durations (awaitProvisioned).
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await expect
      .poll(
        async () => (await hosts.list()).items.filter((h) => h.status?.provisioning?.state === 'available').length,
        {
          timeout: 60_000,
        },
      )
      .toBe(8);
    await stack.client.provisionMachine(stack.claim('metrics-ready'));
    await stack.waitForPhase('metrics-ready', 'Ready', 240_000);

    // A claim conflict: the provisioning worker reaches the API server through a proxy that answers its
    // writes of BareMetalHosts 409 Conflict, as the API server does when another claim wrote the host first.
    const free = (await hosts.list()).items.find((h) => !h.spec.consumerRef)?.metadata.name ?? '';
    proxy.injectFaults({ rate: 1, statuses: [409], seed: 7, resource: 'baremetalhosts' });
    await stack.client.provisionMachine(stack.claim('metrics-pinned', { 'metal3.vcluster.com/server-name': free }));
    const conflicted = async () => exposedNames(await scrape(provisioningMetrics)).has('metal3_claim_conflicts');
    await expect.poll(conflicted, { timeout: 60_000, interval: 1_000 }).toBe(true);
    proxy.injectFaults({ rate: 0, statuses: [], seed: 0 });

    // A fleet reclaim on this worker: what it found, by kind.
    await reclaim(stack, { dryRun: true });

    await expect
      .poll(() => scrape(`http://127.0.0.1:${ports.boot}/readyz`), { timeout: 150_000, interval: 1_000 })
      .toBe('ready\n');
    const scraped = [
      await scrape(provisioningMetrics),
      await scrape(`http://127.0.0.1:${ports.boot}/metrics`),
      await scrape(`http://127.0.0.1:${ports.bootTemporal}/metrics`),
    ];
    const exposed = new Set(scraped.flatMap((text) => [...exposedNames(text)]));
    const all = await queries();
    expect(all.length).toBeGreaterThan(20);
    const missing = all.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !exposed.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(missing, `metrics no scrape exposes: ${missing.join('; ')}`).toEqual([]);
    // Provisioning takes minutes to an hour: the step durations' buckets reach that far.
    expect(scraped[0]).toMatch(/^metal3_machine_step_duration_bucket\{[^}]*le="3600000"[^}]*\} \d+/m);
    // The scrape itself is what the queries were checked against, not an empty page, and a likely slip
    // (the SDK's counters carry no _total suffix) would be caught.
    for (const name of ['metal3_machine_phase_entries', 'metal3_boot_dhcp_received_total', 'temporal_num_pollers'])
      expect(exposed).toContain(name);
    expect(exposed).not.toContain('metal3_machine_phase_entries_total');
    expect(exposed).not.toContain('metal3_claim_conflicts_total');

    await Promise.all(
      ['metrics-ready', 'metrics-pinned'].map((name) =>
        stack.client.releaseMachine({ namespace: stack.env.namespace, name }).catch(() => undefined),
      ),
    );
  }, 600_000);
});
