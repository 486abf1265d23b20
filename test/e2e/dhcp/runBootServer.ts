// `metal3-provider boot-server` with only its own command registered, so a test can run it inside a
// network namespace (`ip netns exec`) without starting anything else the CLI offers.
import { Command } from 'commander';
import { registerBootServerCommand } from '../../../cli/bootServerCommand.js';

const program = new Command('metal3-provider');
registerBootServerCommand(program);
await program.parseAsync(process.argv);
