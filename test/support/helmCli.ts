import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { projectRoot } from '../../devstack/devstack.js';

/** The charts of this repository. */
export const chartsDir = join(projectRoot, 'charts');

export class HelmCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | string | null,
    readonly output: string,
  ) {
    super(`helm ${args.join(' ')} failed (exit ${String(exitCode)}):\n${output}`);
    this.name = 'HelmCommandError';
  }
}

export interface HelmResult {
  stdout: string;
  stderr: string;
}

/** Runs helm; a non-zero exit throws HelmCommandError carrying helm's output. */
export function runHelm(helmPath: string, args: readonly string[]): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    execFile(helmPath, args, { maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new HelmCommandError(args, error.code ?? null, `${stdout}${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/**
 * Runs helm with each YAML string of `values` passed as a values file (`-f`, in order), the way a
 * deployer passes a NodeProvider's `helmValues`.
 */
export async function runHelmWithValues(
  helmPath: string,
  args: readonly string[],
  values: readonly string[] = [],
): Promise<HelmResult> {
  const dir = await mkdtemp(join(tmpdir(), 'helm-values-'));
  try {
    const files: string[] = [];
    for (const [i, text] of values.entries()) {
      const file = join(dir, `values-${i}.yaml`);
      await writeFile(file, text);
      files.push('-f', file);
    }
    return await runHelm(helmPath, [...args, ...files]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** `helm template` (CRDs included) parsed into objects, in helm's install order. */
export async function helmTemplate(
  helmPath: string,
  chart: string,
  options: { release: string; namespace: string; values?: readonly string[] },
): Promise<RenderedObject[]> {
  const { stdout } = await runHelmWithValues(
    helmPath,
    ['template', options.release, join(chartsDir, chart), '--namespace', options.namespace, '--include-crds'],
    options.values,
  );
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as RenderedObject | null)
    .filter((doc): doc is RenderedObject => doc !== null);
}
