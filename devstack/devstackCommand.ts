import type { Command } from 'commander';
import { Option } from 'commander';
import { startDevstack, type TemporalBackend } from './devstack.js';
import { resolveTool } from './resolveTool.js';
import { defaultToolNames, toolSpecs, type ToolName } from './toolSpecs.js';
import { envExports, isAlive, readState, removeState, writeState } from './stateFile.js';

export function registerDevstackCommand(program: Command): void {
  const devstack = program
    .command('devstack')
    .description('the embedded default: Temporal dev server, kube-apiserver, etcd and helm on loopback');

  devstack
    .command('up')
    .description('start the stack, print its endpoints, and keep it running until Ctrl-C')
    .option(
      '--ui-codec-endpoint <url>',
      "codec server the Web UI calls to show encrypted payloads (see 'codec-server --cors-origin')",
    )
    .addOption(
      new Option(
        '--temporal <backend>',
        'dev: the dev server on SQLite with the Web UI; postgres: the Temporal server on PostgreSQL',
      )
        .choices(['dev', 'postgres'])
        .default('dev'),
    )
    .action(async (options: { uiCodecEndpoint?: string; temporal: TemporalBackend }) => {
      const existing = await readState();
      if (existing && isAlive(existing.ownerPid)) {
        throw new Error(`a devstack is already running (pid ${existing.ownerPid}); stop it with 'devstack down'`);
      }
      const { endpoints: stack, stop } = await startDevstack({
        progress: (line) => process.stderr.write(`${line}\n`),
        ...(options.uiCodecEndpoint && { uiCodecEndpoint: options.uiCodecEndpoint }),
        temporal: options.temporal,
      });
      await writeState({ ...stack, ownerPid: process.pid });
      process.stdout.write(
        [
          'devstack is up',
          `  Temporal address:  ${stack.temporalAddress} (namespace ${stack.temporalNamespace})`,
          `  Temporal backend:  ${stack.temporalBackend === 'dev' ? 'dev server (SQLite)' : 'Temporal server on PostgreSQL'}`,
          `  Temporal Web UI:   ${stack.temporalUiUrl || 'none (the Web UI comes with the dev server)'}`,
          ...(options.uiCodecEndpoint ? [`  UI codec endpoint: ${options.uiCodecEndpoint}`] : []),
          `  kube-apiserver:    ${stack.kubeApiserverUrl}`,
          `  kubeconfig:        ${stack.kubeconfigPath}`,
          `  helm:              ${stack.helmPath}`,
          '',
          'In another shell: eval "$(metal3-provider devstack env)"',
          'Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
      await waitForSignal();
      process.stderr.write('stopping devstack\n');
      await stop();
      await removeState();
    });

  devstack
    .command('tools')
    .argument('[names...]', `tools to provide, of: ${Object.keys(toolSpecs).join(', ')}`, defaultToolNames)
    .description(
      `find or provide tools (built with Go on first use) and print their paths; by default ${defaultToolNames.join(', ')}`,
    )
    .action(async (names: string[]) => {
      const unknown = names.filter((name) => !(name in toolSpecs));
      if (unknown.length > 0) {
        throw new Error(`unknown tool ${unknown.join(', ')}; known tools: ${Object.keys(toolSpecs).join(', ')}`);
      }
      for (const name of names as ToolName[]) {
        const started = Date.now();
        const tool = await resolveTool(name, (line) => process.stderr.write(`${line}\n`));
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        process.stdout.write(`${name} ${tool.version}: ${tool.path} (${tool.source}, ${seconds}s)\n`);
      }
    });

  devstack
    .command('env')
    .description('print shell exports for the running stack')
    .action(async () => {
      const state = await readState();
      if (!state || !isAlive(state.ownerPid)) throw new Error("no devstack is running; start one with 'devstack up'");
      process.stdout.write(`${envExports(state)}\n`);
    });

  devstack
    .command('down')
    .description('stop the running stack')
    .action(async () => {
      const state = await readState();
      if (!state || !isAlive(state.ownerPid)) {
        await removeState();
        process.stdout.write('no devstack is running\n');
        return;
      }
      process.kill(state.ownerPid, 'SIGTERM');
      while (isAlive(state.ownerPid)) await new Promise((r) => setTimeout(r, 200));
      process.stdout.write('devstack stopped\n');
    });
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
