import { DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_MAX_STEPS, type Checkpoint } from '../packages/go-template/src/index.js';

/**
 * What rendering a Machine's data may use. Templates come from tenants (NodeClaim properties,
 * template Secrets), so each rendering runs on a budget: a template that loops forever, allocates
 * gigabytes or crashes its thread fails alone, typed and non-retryable, and never delays another
 * Machine's activities.
 */
export interface RenderLimits {
  /** Wall-clock time one document's template may run, in ms. */
  readonly timeoutMs: number;
  /** Heap of a render thread (V8's old generation), in MiB. */
  readonly memoryMb: number;
  /** Range iterations, template calls and function calls one template may make. */
  readonly maxSteps: number;
  /** Size of one rendered document, in UTF-8 bytes. */
  readonly maxOutputBytes: number;
  /** Render threads; more requests than threads wait in turn. */
  readonly threads: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  timeoutMs: 2_000,
  memoryMb: 128,
  maxSteps: DEFAULT_MAX_STEPS,
  maxOutputBytes: DEFAULT_MAX_OUTPUT_BYTES,
  threads: 2,
};

/** The template a document is rendered from, as the render thread reports it before it runs. */
export interface DocumentSource {
  readonly property: string;
  /** `vcluster.com/user-data-template (set in …) Secret "…"`: names the source, never its text. */
  readonly description: string;
  /** The name positions are given in: the property key or the template Secret's name. */
  readonly templateName: string;
}

/** How one rendering executes its templates; in-process callers may leave all of it out. */
export interface TemplateRunOptions {
  readonly maxSteps?: number;
  readonly maxOutputBytes?: number;
  /** Called as each template starts; the checkpoint it returns can stop that template (a deadline). */
  readonly startDocument?: (source: DocumentSource) => Checkpoint | undefined;
  /** Steps between checkpoints (the engine's default when absent). */
  readonly checkpointSteps?: number;
}
