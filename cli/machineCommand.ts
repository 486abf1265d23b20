import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadYamlConfig } from '../api/validateText.js';
import { MachineClient } from '../client/machineClient.js';
import { loadKubeConfig } from '../k8s/kubeClient.js';
import { machineListing, parseWatchInterval, watchListing } from './machineList.js';
import { connectClient } from '../worker/temporalConnection.js';
import { MachinePhases, type MachinePhase, type MachineStatus } from '../contracts/machineContract.js';

interface CommonOptions {
  namespace: string;
  kubeconfig?: string;
}

async function machineClient(options: CommonOptions): Promise<MachineClient> {
  return new MachineClient(await connectClient(), loadKubeConfig(options.kubeconfig));
}

/** `machine provision|status|list|retry|release`: the client library from a terminal. */
export function registerMachineCommand(program: Command): void {
  const machine = program.command('machine').description('provision, inspect, retry and release Machines');
  const common = (command: Command) =>
    command
      .option('-n, --namespace <namespace>', 'namespace of the NodeClaim', 'default')
      .option('--kubeconfig <file>', 'kubeconfig of the cluster holding NodeClaims and hosts');

  common(machine.command('provision'))
    .description('store a NodeClaim and start its Machine (safe to repeat)')
    .requiredOption('-f, --file <file>', 'YAML file with a NodeClaim')
    .option('--wait', 'follow progress until Ready, Stuck or Failed')
    .action(async (options: CommonOptions & { file: string; wait?: boolean }) => {
      const documents = loadYamlConfig(await readFile(options.file, 'utf8'), options.file);
      const claims = documents.flatMap((d) => (d.kind === 'NodeClaim' ? [d.value] : []));
      if (claims.length === 0) throw new Error(`${options.file} holds no NodeClaim`);
      const client = await machineClient(options);
      for (const claim of claims) {
        const handle = await client.provisionMachine({
          ...claim,
          metadata: { ...claim.metadata, namespace: claim.metadata.namespace ?? options.namespace },
        });
        process.stdout.write(`started ${handle.workflowId}\n`);
        if (options.wait) {
          const phase = await follow(client, {
            namespace: claim.metadata.namespace ?? options.namespace,
            name: claim.metadata.name,
          });
          if (phase !== 'Ready') process.exitCode = 1;
        }
      }
    });

  common(machine.command('status <name>'))
    .description("a Machine's phase, host, address, steps and effective properties")
    .option('--json', 'print the status as JSON')
    .action(async (name: string, options: CommonOptions & { json?: boolean }) => {
      const status = await (await machineClient(options)).getMachineStatus({ namespace: options.namespace, name });
      if (!status) throw new Error(`no Machine ${options.namespace}/${name}`);
      process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : describeStatus(status));
    });

  common(machine.command('list'))
    .description(
      'Machines, optionally by phase (a visibility query over MachinePhase), then a summary per phase and node type',
    )
    .option('--phase <phase>', `one of ${MachinePhases.join(', ')}`)
    .option('--watch [seconds]', 'list again every few seconds (default 5) until Ctrl-C')
    .action(async (options: CommonOptions & { phase?: string; watch?: string | true }) => {
      if (options.phase !== undefined && !MachinePhases.includes(options.phase as MachinePhase)) {
        throw new Error(`--phase ${options.phase} is not a phase; use one of ${MachinePhases.join(', ')}`);
      }
      const watch =
        options.watch === undefined ? undefined : parseWatchInterval(options.watch === true ? '5' : options.watch);
      const client = await machineClient(options);
      const list = () => client.listMachines(options.phase ? { phase: options.phase as MachinePhase } : {});
      if (watch === undefined) {
        process.stdout.write(machineListing(await list()));
        return;
      }
      const stop = new AbortController();
      const onSignal = () => {
        stop.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await watchListing(list, watch, process.stdout, stop.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });

  common(machine.command('retry <name>'))
    .description('retry the step a Stuck Machine waits on')
    .option('--other-host', 'release this host, exclude it, and claim another')
    .action(async (name: string, options: CommonOptions & { otherHost?: boolean }) => {
      const answer = await (
        await machineClient(options)
      ).retryMachine({ namespace: options.namespace, name }, { otherHost: options.otherHost === true });
      process.stdout.write(`${answer}\n`);
    });

  common(machine.command('release <name>'))
    .description('release a Machine: the host is restored, the address freed, the Secrets deleted')
    .option('--wait', 'wait until Released')
    .action(async (name: string, options: CommonOptions & { wait?: boolean }) => {
      const client = await machineClient(options);
      process.stdout.write(`${await client.releaseMachine({ namespace: options.namespace, name })}\n`);
      if (options.wait) {
        const status = await client.handle({ namespace: options.namespace, name }).result();
        process.stdout.write(`${status.phase}\n`);
      }
    });
}

/**
 * Follows a Machine until it settles and returns the phase it settled in. On a terminal one line is
 * redrawn with a spinner; otherwise each change of phase or step is printed on its own line.
 */
async function follow(client: MachineClient, machine: { namespace: string; name: string }): Promise<MachinePhase> {
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  const tty = process.stdout.isTTY;
  let last = '';
  for (let tick = 0; ; tick++) {
    const status = await client.getMachineStatus(machine);
    const where = status?.host ? ` on ${status.host}` : '';
    const line = status ? `${status.phase}${status.step ? ` (${status.step})` : ''}${where}` : 'Pending';
    const settled = status && ['Ready', 'Stuck', 'Failed', 'Released'].includes(status.phase);
    if (tty) {
      process.stdout.write(
        `\r\x1b[2K${settled ? '✔' : (frames[tick % frames.length] ?? '')} ${machine.namespace}/${machine.name}: ${line}`,
      );
      if (settled) process.stdout.write('\n');
    } else if (line !== last) {
      process.stdout.write(`${new Date().toISOString()} ${machine.namespace}/${machine.name}: ${line}\n`);
    }
    last = line;
    if (status && settled) {
      if (status.details) process.stdout.write(`  ${status.details}\n`);
      return status.phase;
    }
    await new Promise((r) => setTimeout(r, tty ? 200 : 1000));
  }
}

function describeStatus(status: MachineStatus): string {
  const lines = [
    `Machine:    ${status.machine.namespace}/${status.machine.name}`,
    `Phase:      ${status.phase}${status.details ? ` — ${status.details}` : ''}`,
    `Node type:  ${status.nodeType ?? '-'}`,
    `Host:       ${status.host ?? '-'}`,
    `Address:    ${(status.addresses ?? (status.address ? [status.address] : [])).join(', ') || '-'}`,
    `Attempts:   ${status.provisionAttempts}`,
    ...(status.lastError ? [`Last error: ${status.lastError}`] : []),
    'Steps:',
    ...status.steps.map(
      (s) =>
        `  ${s.startedAt}  ${s.step.padEnd(18)} ${s.outcome ?? 'running'}${s.host ? ` ${s.host}` : ''}${s.error ? `: ${s.error}` : ''}`,
    ),
    'Properties:',
    ...Object.entries(status.properties).map(([key, p]) => `  ${key}=${p.value}  (${p.origin})`),
  ];
  return `${lines.join('\n')}\n`;
}
