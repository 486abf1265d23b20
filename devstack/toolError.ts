import type { ToolSpec } from './toolSpecs.js';

/** A tool could not be provided; says which tool, which step, and how to provide it by hand. */
export class ToolUnavailableError extends Error {
  constructor(spec: ToolSpec, step: string, cause: string) {
    super(
      `${spec.name} ${spec.version}: ${step} failed: ${cause}\n` +
        `  Provide the binary by hand: set ${spec.envVar}=/path/to/${spec.name}, or put ${spec.name} on PATH.`,
    );
    this.name = 'ToolUnavailableError';
  }
}
