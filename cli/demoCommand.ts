import type { Command } from 'commander';
import { demoSummary } from '../devstack/demo/demoSummary.js';
import { runDemo } from '../devstack/demo/runDemo.js';

/** `metal3-provider demo`: the embedded default with Machines being provisioned, until Ctrl-C. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'start the devstack, simulated servers, the workers and the controller, and provision Machines of both ' +
        'node types (one ends Stuck on purpose); stays up until Ctrl-C',
    )
    .option('--exit-after-summary', 'stop and clean up as soon as the summary is printed')
    .action(async (options: { exitAfterSummary?: boolean }) => {
      const say = (line: string): void => {
        process.stdout.write(`${line}\n`);
      };
      const run = await runDemo({ say });
      process.stdout.write(demoSummary(run));
      if (!options.exitAfterSummary) {
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      }
      say('stopping the demo');
      await run.stop();
      say('demo stopped; nothing left running');
    });
}
