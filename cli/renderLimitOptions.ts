import { Option, type Command } from 'commander';
import { duration, positiveInteger } from './argumentParsers.js';
import { DEFAULT_RENDER_LIMITS, type RenderLimits } from '../render/renderLimits.js';

/** What the options below leave on a command's parsed options. */
export interface RenderLimitFlags {
  templateTimeout: number;
  templateMemoryMb: number;
  templateMaxSteps: number;
  templateMaxOutputBytes: number;
  templateThreads: number;
}

function option(flags: string, description: string, env: string, parse: (text: string) => number, fallback: number) {
  return new Option(flags, description)
    .env(`METAL3_PROVIDER_${env}`)
    .argParser(parse)
    .default(fallback, String(fallback));
}

/**
 * The limits templates render under (see RenderLimits), for every command that renders Machine data:
 * the provisioning worker, whose templates come from tenants, and `render`, which shows where a
 * template would stop.
 */
export function addRenderLimitOptions(command: Command): Command {
  const limits = DEFAULT_RENDER_LIMITS;
  return command
    .addOption(
      option(
        '--template-timeout <duration>',
        'time one user-data or network-data template may run, e.g. 2s or 500ms',
        'TEMPLATE_TIMEOUT',
        duration,
        limits.timeoutMs,
      ).default(limits.timeoutMs, `${limits.timeoutMs / 1000}s`),
    )
    .addOption(
      option(
        '--template-memory-mb <mib>',
        'heap of a render thread in MiB; a template that needs more fails',
        'TEMPLATE_MEMORY_MB',
        positiveInteger,
        limits.memoryMb,
      ),
    )
    .addOption(
      option(
        '--template-max-steps <count>',
        'range iterations, template calls and function calls one template may make',
        'TEMPLATE_MAX_STEPS',
        positiveInteger,
        limits.maxSteps,
      ),
    )
    .addOption(
      option(
        '--template-max-output-bytes <bytes>',
        'size of one rendered document',
        'TEMPLATE_MAX_OUTPUT_BYTES',
        positiveInteger,
        limits.maxOutputBytes,
      ),
    )
    .addOption(
      option(
        '--template-threads <count>',
        'render threads; more renderings than threads wait in turn',
        'TEMPLATE_THREADS',
        positiveInteger,
        limits.threads,
      ),
    );
}

export function renderLimitsOf(flags: RenderLimitFlags): RenderLimits {
  return {
    timeoutMs: flags.templateTimeout,
    memoryMb: flags.templateMemoryMb,
    maxSteps: flags.templateMaxSteps,
    maxOutputBytes: flags.templateMaxOutputBytes,
    threads: flags.templateThreads,
  };
}
