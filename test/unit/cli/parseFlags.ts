import { Command, type OptionValues } from 'commander';

/**
 * Parses `args` with the options `addOptions` adds to a bare `provisioning` command, with `env` set
 * and the variables in `cleared` unset for the while, as the CLI would see them; parse errors throw.
 */
export function parseFlags(
  addOptions: (command: Command) => Command,
  cleared: string[],
  args: string[],
  env: Record<string, string> = {},
): OptionValues {
  const saved = { ...process.env };
  for (const name of cleared) Reflect.deleteProperty(process.env, name);
  Object.assign(process.env, env);
  try {
    const command = addOptions(new Command('provisioning'))
      .exitOverride()
      .configureOutput({ writeErr: () => undefined });
    return command.parse(args, { from: 'user' }).opts();
  } finally {
    process.env = saved;
  }
}
