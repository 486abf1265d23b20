import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type RunResult } from '../../../devstack/runCommand.js';

/**
 * Commands run one after another as a user types them into one shell: what one command exports
 * (e.g. `eval "$(… devstack env)"`) the next one sees. Each runs in its own `bash` with pipefail,
 * starting from the exports the previous one left behind.
 */
export class ShellSession {
  private constructor(
    private readonly dir: string,
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(cwd: string, env: NodeJS.ProcessEnv): Promise<ShellSession> {
    const dir = await mkdtemp(join(tmpdir(), 'metal3-provider-shell-'));
    await writeFile(join(dir, 'exports.sh'), '');
    return new ShellSession(dir, cwd, env);
  }

  run(command: string): Promise<RunResult> {
    const script = [
      'exports="$1"',
      'set -o pipefail',
      '. "$exports"',
      command,
      'status=$?',
      'export -p > "$exports"',
      'exit $status',
    ].join('\n');
    return runCommand('bash', ['-c', script, 'bash', join(this.dir, 'exports.sh')], { cwd: this.cwd, env: this.env });
  }

  /** The value of an exported variable, as the next command would see it. */
  async exported(name: string): Promise<string> {
    return (await this.run(`printf '%s' "$${name}"`)).stdout;
  }

  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
