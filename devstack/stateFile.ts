import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DevstackEndpoints } from './devstack.js';

export interface DevstackState extends DevstackEndpoints {
  /** PID of the `devstack up` process that owns the children. */
  ownerPid: number;
}

/** Where `devstack up` records its endpoints for `devstack env` and `devstack down`. */
export function stateFilePath(): string {
  return process.env.METAL3_DEVSTACK_STATE ?? join(process.cwd(), '.devstack', 'state.json');
}

export async function writeState(state: DevstackState): Promise<void> {
  const file = stateFilePath();
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(state, null, 2));
}

export async function readState(): Promise<DevstackState | undefined> {
  try {
    return JSON.parse(await readFile(stateFilePath(), 'utf8')) as DevstackState;
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote a state file still runs. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function removeState(): Promise<void> {
  await rm(stateFilePath(), { force: true });
}

/** Shell `export` lines that point kubectl, helm, the Temporal CLI and our CLI at the stack. */
export function envExports(state: DevstackEndpoints): string {
  return [
    `export TEMPORAL_ADDRESS=${state.temporalAddress}`,
    `export TEMPORAL_NAMESPACE=${state.temporalNamespace}`,
    `export KUBECONFIG=${state.kubeconfigPath}`,
    `export HELM_PATH=${state.helmPath}`,
  ].join('\n');
}
