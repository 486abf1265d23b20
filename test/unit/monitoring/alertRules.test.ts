import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { projectRoot } from '../../../devstack/devstack.js';
import { runCommand } from '../../../devstack/runCommand.js';
import { metricNames } from './promqlMetricNames.js';

// The alerting rules (charts/metal3-provider/files/alerts.yaml) pass `promtool check rules` and their
// unit tests (alerts.test.yaml beside this file: each alert firing and not firing); each rule's test
// fails when the rule never fires, so the tests can catch a broken rule. promtool is Debian's
// `prometheus` package (scripts/install-system-packages.sh); without it this test fails.
const rulesFile = join(projectRoot, 'charts', 'metal3-provider', 'files', 'alerts.yaml');
const testsFile = join(projectRoot, 'test', 'unit', 'monitoring', 'alerts.test.yaml');
const dashboardFile = join(projectRoot, 'charts', 'metal3-provider', 'files', 'fleet-dashboard.json');
const ALERTS = [
  'Metal3MachineStuck',
  'Metal3MachinesWaitingForHost',
  'Metal3ProvisioningOverDeadline',
  'Metal3WorkerWithoutPollers',
  'Metal3ProvisioningWorkersAbsent',
  'Metal3ReclaimFoundLeaks',
  'Metal3DhcpRefusingClients',
  'Metal3TftpRefusingClients',
];

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleTest {
  alert_rule_test: { eval_time: string; alertname: string; exp_alerts: unknown[] }[];
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** promtool's path; every test that needs it fails (never skips) without it. */
async function promtool(): Promise<string> {
  const found = await findOnPath('promtool');
  if (!found) throw new Error("promtool not found on PATH: install Debian's prometheus package (make system-packages)");
  return found;
}

let work = '';
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'alert-rules-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const rules = async (): Promise<Rule[]> =>
  (parse(await readFile(rulesFile, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

describe('alerting rules', () => {
  it('pass promtool check rules', async () => {
    const result = await runCommand(await promtool(), ['check', 'rules', rulesFile]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`SUCCESS: ${ALERTS.length} rules found`);
  }, 30_000);

  it('are the alerts of the design, each with a severity, a summary and a description', async () => {
    const all = await rules();
    expect(all.map((r) => r.alert)).toEqual(ALERTS);
    for (const rule of all) {
      expect(['info', 'warning', 'critical']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.annotations?.description).toBeTruthy();
      for (const name of metricNames(rule.expr)) expect(name).toMatch(/^(metal3_|temporal_)/);
    }
  });

  it('pass their promtool unit tests, which test each alert firing and not firing', async () => {
    const tests = (parse(await readFile(testsFile, 'utf8')) as { tests: RuleTest[] }).tests;
    for (const alert of ALERTS) {
      const cases = tests.flatMap((t) => t.alert_rule_test).filter((c) => c.alertname === alert);
      expect(
        cases.some((c) => c.exp_alerts.length > 0),
        `${alert} fires in a test`,
      ).toBe(true);
      expect(
        cases.some((c) => c.exp_alerts.length === 0),
        `${alert} does not fire in a test`,
      ).toBe(true);
    }
    const result = await runCommand(await promtool(), ['test', 'rules', testsFile]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code).toBe(0);
  }, 30_000);

  it('unit tests fail for a rule that never fires', async () => {
    const source = parse(await readFile(rulesFile, 'utf8')) as { groups: { rules: Rule[] }[] };
    const tests = parse(await readFile(testsFile, 'utf8')) as Record<string, unknown>;
    const tool = await promtool();
    const check = async (alert: string) => {
      const broken = structuredClone(source);
      for (const rule of broken.groups.flatMap((g) => g.rules)) if (rule.alert === alert) rule.expr = 'vector(1) < 0';
      const brokenRules = join(work, `${alert}.rules.yaml`);
      const brokenTests = join(work, `${alert}.test.yaml`);
      await writeFile(brokenRules, stringify(broken));
      await writeFile(brokenTests, stringify({ ...tests, rule_files: [brokenRules] }));
      const result = await runCommand(tool, ['test', 'rules', brokenTests]);
      expect(result.code, `${alert} broken`).not.toBe(0);
      expect(result.stdout + result.stderr).toContain(`alertname: ${alert}`);
    };
    await Promise.all(ALERTS.map(check));
  }, 60_000);
});

describe('fleet dashboard', () => {
  it('is a Grafana dashboard whose every panel queries the chosen Prometheus with PromQL naming metal3_ or temporal_ metrics', async () => {
    const dashboard = JSON.parse(await readFile(dashboardFile, 'utf8')) as {
      uid: string;
      title: string;
      templating: { list: { name: string; type: string }[] };
      panels: {
        type: string;
        title: string;
        datasource?: { uid: string };
        targets?: { expr: string; datasource?: { uid: string } }[];
      }[];
    };
    expect(dashboard.uid).toBe('metal3-provider-fleet');
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource' }),
    );
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    const titles = panels.map((p) => p.title);
    for (const title of [
      'Machines entering each phase',
      'Stuck',
      'Provisioning duration by node type',
      'Claim conflicts',
      'DHCP',
      'TFTP',
    ])
      expect(titles).toContain(title);
    for (const panel of panels) {
      expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        const names = metricNames(target.expr);
        expect(names.length, `${panel.title}: ${target.expr}`).toBeGreaterThan(0);
        for (const name of names) expect(name).toMatch(/^(metal3_|temporal_)/);
      }
    }
  });
});
