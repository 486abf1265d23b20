import type { Command } from 'commander';
import { demoSummary } from './demoSummary.js';
import { runDemo } from './runDemo.js';
import { isAlive, readState, removeState, writeState } from '../stateFile.js';

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
      // Recorded like `devstack up` does, so that `devstack env` points a second shell at the demo; a
      // running `devstack up` keeps its record, and the summary's exports still lead here.
      const other = await readState();
      const publish = !other || !isAlive(other.ownerPid);
      if (publish) await writeState({ ...run.stack, ownerPid: process.pid });
      else say(`'devstack env' points at the devstack of pid ${other.ownerPid}, not at this demo`);
      process.stdout.write(demoSummary(run));
      if (!options.exitAfterSummary) {
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      }
      say('stopping the demo');
      await run.stop();
      if (publish) await removeState();
      say('demo stopped; nothing left running');
    });
}
