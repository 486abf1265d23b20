import { Command } from 'commander';
import { registerBootServerCommand } from './bootServerCommand.js';
import { registerCheckCommand } from './checkCommand.js';
import { registerControllerCommand } from './controllerCommand.js';
import { registerCodecServerCommand } from './codecServerCommand.js';
import { registerDeployCommand } from './deployCommand.js';
import { registerDeveloperCommands } from './developerCommands.js';
import { registerRenderCommand } from './renderCommand.js';
import { registerIpamCommand } from './ipamCommand.js';
import { registerMachineCommand } from './machineCommand.js';
import { registerReclaimCommand } from './reclaimCommand.js';
import { registerTemporalCommand } from './temporalCommand.js';
import { registerWorkerCommand } from './workerCommand.js';
import { registerValidateCommand } from './validateCommand.js';

/**
 * The whole command tree, unparsed: the entry point runs it, the reference generator reads it. The
 * developer commands come last, and only where the development tooling is present.
 */
export async function buildProgram(): Promise<Command> {
  // Each product subcommand lives in its own module under cli/ and registers itself here.
  const program = new Command('metal3-provider')
    .description('Metal3 node provider on Temporal')
    .showHelpAfterError()
    .enablePositionalOptions();
  registerBootServerCommand(program);
  registerCheckCommand(program);
  registerControllerCommand(program);
  registerCodecServerCommand(program);
  registerDeployCommand(program);
  registerRenderCommand(program);
  registerIpamCommand(program);
  registerMachineCommand(program);
  registerReclaimCommand(program);
  registerTemporalCommand(program);
  registerWorkerCommand(program);
  registerValidateCommand(program);
  await registerDeveloperCommands(program);
  return program;
}
