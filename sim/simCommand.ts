import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { classifyApiError } from '../k8s/apiErrors.js';
import { loadKubeConfig } from '../k8s/kubeClient.js';
import { startSimulator } from './controller.js';
import { SimConfig } from './settings.js';
import { createSimHosts } from './simHosts.js';

interface SimOptions {
  namespace: string;
  kubeconfig?: string;
  hosts: number;
  prefix: string;
  label: string[];
  config?: string;
  delayMs?: number;
}

export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description(
      'run the BMO/Ironic simulator against a cluster: drive BareMetalHost status through the BMO state machine, ' +
        'with delays and faults from sim.metal3-provider/* annotations and --config',
    )
    .option('-n, --namespace <namespace>', 'namespace of the BareMetalHosts', 'metal3-system')
    .option('--kubeconfig <file>', 'kubeconfig (default: KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--hosts <count>', 'create this many hosts with BMC Secrets first', parseCount, 0)
    .option('--prefix <prefix>', 'name prefix of created hosts', 'sim-host')
    .option('--label <key=value>', 'label for created hosts (repeatable)', collect, [])
    .option('--config <file>', 'YAML simulator config (defaultDelayMs, delaysMs, hardware, faults)')
    .option('--delay-ms <ms>', 'default duration of each step', parseCount)
    .action(async (options: SimOptions) => {
      const kubeConfig = loadKubeConfig(options.kubeconfig);
      const raw: unknown = options.config ? parseYaml(await readFile(options.config, 'utf8')) : {};
      const config = SimConfig.parse({
        ...(raw as object),
        ...(options.delayMs === undefined ? {} : { defaultDelayMs: options.delayMs }),
      });
      if (options.hosts > 0) {
        const names = await createSimHosts(kubeConfig, options.namespace, {
          count: options.hosts,
          prefix: options.prefix,
          labels: Object.fromEntries(options.label.map(splitLabel)),
        });
        process.stdout.write(
          `created or found ${names.length} hosts in ${options.namespace}: ${names[0]} … ${names.at(-1)}\n`,
        );
      }
      const simulator = startSimulator({
        kubeConfig,
        namespace: options.namespace,
        config,
        onTransition: (host, from, to) => process.stdout.write(`${host}: ${from || '(new)'} → ${to}\n`),
        onError: (err) => process.stderr.write(`simulator: ${classifyApiError(err).message}\n`),
      });
      process.stdout.write(`simulating BareMetalHosts in ${options.namespace}; Ctrl-C to stop\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await simulator.stop();
    });
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${JSON.stringify(value)} is not a whole number`);
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function splitLabel(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new Error(`--label ${JSON.stringify(text)}: write key=value`);
  return [text.slice(0, at), text.slice(at + 1)];
}
