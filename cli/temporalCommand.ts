import type { Command } from 'commander';
import { Connection } from '@temporalio/client';
import { temporalSettings } from '../worker/temporalConnection.js';
import { customSearchAttributes } from '../contracts/searchAttributes.js';
import { registerSearchAttributes } from '../client/registerSearchAttributes.js';

/** `temporal setup`: registers the search attributes on a Temporal server (the devstack does this itself). */
export function registerTemporalCommand(program: Command): void {
  program
    .command('temporal')
    .description('prepare a Temporal server')
    .command('setup')
    .description('register the Machine search attributes (MachinePhase, MachineName, …) in the namespace')
    .action(async () => {
      const { connectionOptions, namespace } = temporalSettings();
      const connection = await Connection.connect(connectionOptions);
      try {
        const added = await registerSearchAttributes(connection, namespace);
        for (const key of customSearchAttributes) {
          process.stdout.write(`${key.name} (${key.type}): ${added.includes(key.name) ? 'added' : 'present'}\n`);
        }
      } finally {
        await connection.close();
      }
    });
}
