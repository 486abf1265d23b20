import { Option, type Command } from 'commander';
import { positiveInteger } from './argumentParsers.js';

/** What the options below leave on a command's parsed options. */
export interface WorkerTuningFlags {
  maxCachedWorkflows?: number;
}

/**
 * How many Machine workflows the provisioning worker keeps in memory between their tasks. Unset, the
 * SDK sizes the cache from the V8 heap limit; docs/operations.md ("Sizing a provisioning worker")
 * tells what a smaller cache saves in memory and costs in replays.
 */
export function addWorkerTuningOptions(command: Command): Command {
  return command.addOption(
    new Option(
      '--max-cached-workflows <count>',
      'Machine workflows kept in memory between tasks (default: from the heap limit)',
    )
      .env('METAL3_PROVIDER_MAX_CACHED_WORKFLOWS')
      .argParser(positiveInteger),
  );
}

export function workerTuningOf(flags: WorkerTuningFlags): { maxCachedWorkflows?: number } {
  return flags.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: flags.maxCachedWorkflows };
}
