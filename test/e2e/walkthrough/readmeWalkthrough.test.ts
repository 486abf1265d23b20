import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { classifyApiError } from '../../../k8s/apiErrors.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { loadKubeConfig } from '../../../k8s/kubeClient.js';
import { DEMO_NAMESPACE } from '../../../devstack/demo/demoHosts.js';
import { startDemoProcesses, type DemoProcesses } from '../../../devstack/demo/demoProcesses.js';
import { projectRoot } from '../../../devstack/devstack.js';
import { resolveTool } from '../../../devstack/resolveTool.js';
import type { RunResult } from '../../../devstack/runCommand.js';
import { writeState } from '../../../devstack/stateFile.js';
import { userView } from '../../integration/reclaim/reclaimKit.js';
import { readSpecExample } from '../../support/specExamples.js';
import { tableRow } from './kubectlTable.js';
import { sectionCommands } from './readmeCommands.js';
import { ShellSession } from './shellSession.js';

const stack = inject('devstack');
const kubeConfig = loadKubeConfig(stack.kubeconfigPath);
const hosts = createBareMetalHostApi(kubeConfig, DEMO_NAMESPACE);
const example = (file: string) => join(projectRoot, 'examples', 'walkthrough', file);

function shell(): ShellSession {
  if (!session) throw new Error('the shell session did not start; see the error of beforeAll');
  return session;
}

/** What the README says the user sees after one command. */
interface Step {
  command: string;
  check(result: RunResult): Promise<void> | void;
}

/** kubectl's line for an applied object: created on a fresh stack, unchanged or configured on the demo's. */
const applied = (object: string) =>
  new RegExp(`^${object.replaceAll('.', '\\.')} (created|configured|unchanged)$`, 'm');

let session: ShellSession | undefined;
let processes: DemoProcesses | undefined;
let stateDir: string | undefined;
let hostBeforeClaim: ReturnType<typeof userView> | undefined;
let claimAddress = '';

const steps: Step[] = [
  {
    command: 'eval "$(node bin/metal3-provider.js devstack env)"',
    check: async () => {
      expect(await shell().exported('KUBECONFIG')).toBe(stack.kubeconfigPath);
      expect(await shell().exported('TEMPORAL_ADDRESS')).toBe(stack.temporalAddress);
      expect(await shell().exported('TEMPORAL_NAMESPACE')).toBe(stack.temporalNamespace);
    },
  },
  {
    command: 'kubectl apply -f examples/metal3-provider.yaml',
    check: ({ stdout }) => {
      expect(stdout).toMatch(applied('nodeprovider.management.loft.sh/metal3-provider'));
      expect(stdout).toMatch(applied('osimage.management.loft.sh/ubuntu-noble'));
      expect(stdout).toMatch(applied('sshkey.management.loft.sh/ops'));
    },
  },
  {
    command: 'kubectl apply -f examples/walkthrough/server-01-bmc-secret.yaml',
    check: ({ stdout }) => {
      expect(stdout).toMatch(applied('secret/server-01-bmc'));
    },
  },
  {
    command: 'kubectl apply -f examples/walkthrough/server-01-bmh.yaml',
    check: ({ stdout }) => {
      expect(stdout).toMatch(applied('baremetalhost.metal3.io/server-01'));
    },
  },
  {
    command:
      "kubectl wait baremetalhost/server-01 -n metal3-system --for=jsonpath='{.status.provisioning.state}'=available --timeout=15m",
    check: async ({ stdout }) => {
      expect(stdout.trim()).toBe('baremetalhost.metal3.io/server-01 condition met');
      hostBeforeClaim = userView(await hosts.get('server-01'));
    },
  },
  {
    command: 'kubectl get baremetalhost -n metal3-system',
    check: ({ stdout }) => {
      expect(tableRow(stdout, 'server-01')).toMatchObject({ STATE: 'available', CONSUMER: '', ONLINE: 'false' });
    },
  },
  {
    command: 'kubectl apply -f examples/walkthrough/compute-nodes-1.yaml',
    check: ({ stdout }) => {
      expect(stdout).toMatch(applied('secret/compute-nodes-1-join'));
      expect(stdout).toMatch(applied('nodeclaim.management.loft.sh/compute-nodes-1'));
    },
  },
  {
    command: 'kubectl wait nodeclaim/compute-nodes-1 --for=condition=Ready --timeout=60m',
    check: ({ stdout }) => {
      expect(stdout.trim()).toBe('nodeclaim.management.loft.sh/compute-nodes-1 condition met');
    },
  },
  {
    command: 'kubectl get nodeclaim compute-nodes-1',
    check: ({ stdout }) => {
      const row = tableRow(stdout, 'compute-nodes-1');
      expect(row).toMatchObject({
        PROVIDER: 'metal3-provider',
        TYPE: 'compute-node',
        PHASE: 'Ready',
        HOST: 'server-01',
        READY: 'True',
      });
      // compute-node's metal3.vcluster.com/network-ip-range in examples/metal3-provider.yaml
      expect(row.ADDRESS).toMatch(/^10\.0\.0\.(2\d|30)\/24$/);
      claimAddress = row.ADDRESS ?? '';
    },
  },
  {
    command: 'node bin/metal3-provider.js machine status compute-nodes-1',
    check: ({ stdout }) => {
      expect(stdout).toMatch(/^Machine: +default\/compute-nodes-1$/m);
      expect(stdout).toMatch(/^Phase: +Ready — provisioned on BareMetalHost server-01;/m);
      expect(stdout).toMatch(/^Node type: +compute-node$/m);
      expect(stdout).toMatch(/^Host: +server-01$/m);
      expect(stdout).toContain(`Address:    ${claimAddress}\n`);
      expect(stdout).toMatch(/^ {2}\S+ {2}configureHost +ok server-01$/m);
      expect(stdout).toMatch(
        /^ {2}metal3\.vcluster\.com\/server-name=server-01 {2}\(NodeClaim "default\/compute-nodes-1" properties\)$/m,
      );
      expect(stdout).toMatch(/^ {2}vcluster\.com\/os-image=ubuntu-noble {2}\(node type "compute-node" properties\)$/m);
      // kubectl apply's own annotation is bookkeeping, not a property.
      expect(stdout).not.toContain('last-applied-configuration');
    },
  },
  {
    command: 'kubectl get baremetalhost server-01 -n metal3-system',
    check: ({ stdout }) => {
      expect(tableRow(stdout, 'server-01')).toMatchObject({
        STATE: 'provisioned',
        CONSUMER: 'compute-nodes-1',
        ONLINE: 'true',
      });
    },
  },
  {
    command:
      "kubectl get secret -n metal3-system \"$(kubectl get baremetalhost server-01 -n metal3-system -o jsonpath='{.spec.userData.name}')\" -o jsonpath='{.data.userData}' | base64 -d",
    check: async ({ stdout }) => {
      expect(stdout.startsWith('#cloud-config\n')).toBe(true);
      const runcmd = (parse(stdout) as { runcmd?: unknown[] }).runcmd ?? [];
      expect(runcmd.at(-1)).toBe(await joinCommand());
    },
  },
  {
    command: 'kubectl delete nodeclaim compute-nodes-1',
    check: ({ stdout }) => {
      // kubectl 1.34 names the namespace, 1.33 does not: the tool lookup takes either (one minor of the apiserver).
      expect(stdout.trim()).toMatch(
        /^nodeclaim\.management\.loft\.sh "compute-nodes-1" deleted( from default namespace)?$/,
      );
    },
  },
  {
    command: 'kubectl get baremetalhost server-01 -n metal3-system',
    check: async ({ stdout }) => {
      expect(tableRow(stdout, 'server-01')).toMatchObject({ STATE: 'available', CONSUMER: '', ONLINE: 'false' });
      const host: BareMetalHost = await hosts.get('server-01');
      expect(userView(host)).toEqual(hostBeforeClaim);
    },
  },
  {
    command: 'node bin/metal3-provider.js machine status compute-nodes-1',
    check: ({ stdout }) => {
      expect(stdout).toMatch(/^Phase: +Released\b/m);
      expect(stdout).toMatch(/^ {2}\S+ {2}releaseHost +ok server-01$/m);
      expect(stdout).toMatch(/^ {2}\S+ {2}awaitAvailable +ok server-01$/m);
    },
  },
];

/** The join command the walkthrough's NodeClaim file puts into its join Secret. */
async function joinCommand(): Promise<string> {
  const documents = parseAllDocuments(await readFile(example('compute-nodes-1.yaml'), 'utf8')).map(
    (d) => d.toJS() as { kind?: string; stringData?: { joinCommand?: string } },
  );
  return documents.find((d) => d.kind === 'Secret')?.stringData?.joinCommand ?? '';
}

/**
 * What a user has after `make demo`: the demo's namespace, the provider's processes as child processes
 * exactly as the demo starts them, and the stack recorded for `devstack env` (in a file of this test's own).
 */
beforeAll(async () => {
  await kubeConfig
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name: DEMO_NAMESPACE } } })
    .catch((err: unknown) => {
      if (classifyApiError(err).kind !== 'alreadyExists') throw err;
    });
  stateDir = await mkdtemp(join(tmpdir(), 'metal3-provider-walkthrough-'));
  vi.stubEnv('METAL3_DEVSTACK_STATE', join(stateDir, 'state.json'));
  await writeState({ ...stack, ownerPid: process.pid });
  processes = await startDemoProcesses(stack, 100);

  const kubectl = await resolveTool('kubectl');
  // A second shell: nothing points at the stack until the walkthrough's first command does.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'KUBECONFIG' && !key.startsWith('TEMPORAL_')),
  );
  session = await ShellSession.start(projectRoot, {
    ...env,
    PATH: [dirname(kubectl.path), process.env.PATH].join(delimiter),
  });
});

afterAll(async () => {
  await processes?.stop();
  await session?.close();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

describe('README Walkthrough', () => {
  it("applies the spec's BMC Secret unchanged, and its BareMetalHost with the online: false BMO's CRD requires", async () => {
    const secret = parse(await readFile(example('server-01-bmc-secret.yaml'), 'utf8')) as unknown;
    expect(secret).toEqual(parse(await readSpecExample('bmc-secret.yaml')));
    const host = parse(await readFile(example('server-01-bmh.yaml'), 'utf8')) as unknown;
    const specHost = parse(await readSpecExample('baremetalhost.yaml')) as { spec: Record<string, unknown> };
    expect(host).toEqual({ ...specHost, spec: { ...specHost.spec, online: false } });
  });

  it('runs every command of the section in order, and each shows what the README says', async () => {
    // A command added to or removed from the README must be added to or removed from `steps` too.
    expect(await sectionCommands(join(projectRoot, 'README.md'), 'Walkthrough')).toEqual(steps.map((s) => s.command));
    for (const step of steps) {
      const result = await shell().run(step.command);
      expect(result.code, `${step.command}\n${result.stdout}${result.stderr}`).toBe(0);
      await step.check(result);
    }
  }, 150_000);
});
