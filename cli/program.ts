import { Command } from 'commander';
import { registerBootServerCommand } from './bootServerCommand.js';
import { registerCheckCommand } from './checkCommand.js';
import { registerControllerCommand } from './controllerCommand.js';
import { registerCodecServerCommand } from './codecServerCommand.js';
import { registerDemoCommand } from './demoCommand.js';
import { registerDeployCommand } from './deployCommand.js';
import { registerDevstackCommand } from './devstackCommand.js';
import { registerRenderCommand } from './renderCommand.js';
import { registerIpamCommand } from './ipamCommand.js';
import { registerMachineCommand } from './machineCommand.js';
import { registerReclaimCommand } from './reclaimCommand.js';
import { registerTemporalCommand } from './temporalCommand.js';
import { registerWorkerCommand } from './workerCommand.js';
import { registerSimCommand } from './simCommand.js';
import { registerValidateCommand } from './validateCommand.js';

/** The whole command tree, unparsed: the entry point runs it, the reference generator reads it. */
export function buildProgram(): Command {
  // Each subcommand lives in its own module under cli/ and registers itself here.
  const program = new Command('metal3-provider')
    .description('Metal3 node provider on Temporal')
    .showHelpAfterError()
    .enablePositionalOptions();
  registerBootServerCommand(program);
  registerCheckCommand(program);
  registerControllerCommand(program);
  registerCodecServerCommand(program);
  registerDemoCommand(program);
  registerDeployCommand(program);
  registerDevstackCommand(program);
  registerRenderCommand(program);
  registerIpamCommand(program);
  registerMachineCommand(program);
  registerReclaimCommand(program);
  registerTemporalCommand(program);
  registerWorkerCommand(program);
  registerSimCommand(program);
  registerValidateCommand(program);
  return program;
}
