import { spawn } from 'node:child_process';

/** How helm is run: its binary and the cluster it talks to. */
export interface HelmRunner {
  helmPath: string;
  /** Without it helm uses its own defaults (KUBECONFIG, ~/.kube/config, in-cluster). */
  kubeconfigPath?: string;
}

/** helm exited non-zero; the message carries helm's own error line, never the values passed. */
export class HelmCommandError extends Error {
  constructor(
    readonly subcommand: string,
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(`helm ${subcommand} failed (exit ${exitCode}): ${lastErrorLine(stderr)}`);
    this.name = 'HelmCommandError';
  }

  /** `helm status` and friends on a release that does not exist. */
  get releaseNotFound(): boolean {
    return /release: not found/i.test(this.stderr);
  }
}

function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.findLast((line) => line.startsWith('Error')) ?? lines.at(-1) ?? 'no output';
}

/**
 * Runs one helm command and returns its stdout. The process is killed when `signal` aborts (the
 * activity was cancelled), so a cancelled deployment does not keep a helm upgrade running.
 */
export function runHelm(runner: HelmRunner, args: string[], signal?: AbortSignal): Promise<string> {
  const fullArgs = [...args, ...(runner.kubeconfigPath ? ['--kubeconfig', runner.kubeconfigPath] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(runner.helmPath, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new HelmCommandError(args[0] ?? '', code ?? 1, stderr));
    });
  });
}
