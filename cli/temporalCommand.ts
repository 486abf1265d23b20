import type { Command } from 'commander';
import { Connection } from '@temporalio/client';
import { temporalSettings } from '../worker/temporalConnection.js';
import { customSearchAttributes } from '../workflows/searchAttributes.js';

// Indexed value types of the operator API (temporal.api.enums.v1.IndexedValueType).
const INDEXED_VALUE_TYPE = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 } as const;

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
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        const missing = customSearchAttributes.filter((key) => !(key.name in customAttributes));
        if (missing.length > 0) {
          await connection.operatorService.addSearchAttributes({
            namespace,
            searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_VALUE_TYPE[key.type]])),
          });
        }
        for (const key of customSearchAttributes) {
          process.stdout.write(`${key.name} (${key.type}): ${missing.includes(key) ? 'added' : 'present'}\n`);
        }
      } finally {
        await connection.close();
      }
    });
}
