import { execFile } from 'node:child_process';
import type { ToolSpec } from './toolSpecs.js';

/** A version a tool printed, e.g. `3.4.23` or `1.32.4-dispatcher`; the patch is absent in `v3.19`. */
export interface ToolVersion {
  text: string;
  major: number;
  minor: number;
}

/** The binary an environment variable names does not report a version the project needs. */
export class ToolVersionError extends Error {
  constructor(spec: ToolSpec, path: string, found: ToolVersion | undefined) {
    super(
      `${spec.envVar}=${path}: ${describeFound(spec, found)}, need ${neededVersion(spec)}; ` +
        `point ${spec.envVar} at ${spec.name} ${neededVersion(spec)}, or unset it to let the lookup find or build one`,
    );
    this.name = 'ToolVersionError';
  }
}

/** How long a candidate may take to print its version; a binary that hangs is not the tool. */
const VERSION_TIMEOUT_MS = 10_000;

/**
 * The first version number in a tool's version output. Tools print it in their own way:
 * `etcd Version: 3.6.6`, `Kubernetes v1.34.4`, `Client Version: v1.34.4` (older kubectl:
 * `GitVersion:"v1.27.3"`), helm's `v3.19.0+g3d8990f`, `temporal version 1.5.1 (Server 1.29.1, …)`;
 * in each the tool's own version comes first.
 */
export function parseToolVersion(output: string): ToolVersion | undefined {
  const match = /(?<![\w.])v?(\d+)\.(\d+)((?:\.\d+)?(?:[-+][0-9A-Za-z.+-]*)?)/.exec(output);
  if (!match) return undefined;
  const [whole, major = '', minor = ''] = match;
  return { text: whole.replace(/^v/, ''), major: Number(major), minor: Number(minor) };
}

/** The minor versions a spec accepts, as printed in messages: `3.6.x` or `1.33.x to 1.35.x`. */
export function neededVersion(spec: ToolSpec): string {
  const { major, minor } = specVersion(spec);
  const skew = spec.versionCheck.minorSkew;
  if (skew === 0) return `${major}.${minor}.x`;
  return `${major}.${Math.max(0, minor - skew)}.x to ${major}.${minor + skew}.x`;
}

/** What a candidate reported, for messages: `version 3.4.23` or that it printed none. */
export function describeFound(spec: ToolSpec, found: ToolVersion | undefined): string {
  if (found) return `version ${found.text}`;
  return `no version in the output of \`${[spec.name, ...spec.versionCheck.args].join(' ')}\``;
}

export function versionAccepted(spec: ToolSpec, found: ToolVersion): boolean {
  const { major, minor } = specVersion(spec);
  return found.major === major && Math.abs(found.minor - minor) <= spec.versionCheck.minorSkew;
}

/**
 * Runs a candidate with its version flag and reads the version from what it prints (stdout and
 * stderr: some tools print it on either). Undefined when it cannot run or prints no version.
 */
export function readToolVersion(spec: ToolSpec, path: string): Promise<ToolVersion | undefined> {
  return new Promise((resolve) => {
    execFile(path, spec.versionCheck.args, { timeout: VERSION_TIMEOUT_MS }, (_err, stdout, stderr) => {
      resolve(parseToolVersion(`${stdout}\n${stderr}`));
    });
  });
}

/** The version the spec pins, as a reported version (for binaries the cache, a build or a download provide). */
export function specVersion(spec: ToolSpec): ToolVersion {
  const parsed = parseToolVersion(spec.version);
  if (!parsed) throw new Error(`toolSpecs.${spec.name}.version: ${spec.version} is not a version`);
  return parsed;
}
