import { MachineDataError, NetworkDataError, RenderLimitError, UserDataError, type RenderLimit } from './errors.js';
import type { MachineData } from './machineData.js';
import type { MachineRenderInput } from './renderSpec.js';
import type { DocumentSource } from './renderLimits.js';

/**
 * The messages between RenderPool and its threads. Inputs and results are plain data (structured
 * clone); errors travel as their fields and are rebuilt with their class on the pool's side.
 */
export interface RenderRequest {
  readonly id: number;
  readonly input: MachineRenderInput;
  readonly timeoutMs: number;
  readonly maxSteps: number;
  readonly maxOutputBytes: number;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly property?: string | undefined;
  readonly detail?: string | undefined;
  readonly limit?: RenderLimit | undefined;
}

export type ThreadMessage =
  | { readonly type: 'ready' }
  /** A document's template starts: the pool restarts its deadline and knows what a kill interrupts. */
  | { readonly type: 'document'; readonly id: number; readonly source: DocumentSource }
  | { readonly type: 'done'; readonly id: number; readonly data: MachineData }
  | { readonly type: 'failed'; readonly id: number; readonly error: SerializedError };

/**
 * The thread writes the offset of the node each step is at here (offset + 1; 0: no step yet), so
 * that the pool can say where a thread it had to terminate was.
 */
export const POSITION_SLOTS = 1;

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  if (!(error instanceof MachineDataError)) return { name: 'Error', message: error.message };
  return {
    name: error.name,
    message: error.message,
    property: error.property,
    detail: error.detail,
    ...(error instanceof RenderLimitError && { limit: error.limit }),
  };
}

/** The error as thrown in the thread: MachineDataError and its kinds keep their class; anything else is an Error. */
export function deserializeError(error: SerializedError): Error {
  const { property, message, detail } = error;
  switch (error.name) {
    case 'RenderLimitError':
      return new RenderLimitError(property, error.limit ?? 'steps', message, detail);
    case 'UserDataError':
      return new UserDataError(property, message, detail);
    case 'NetworkDataError':
      return new NetworkDataError(property, message, detail);
    case 'MachineDataError':
      return new MachineDataError(property, message, detail);
    default:
      return new Error(`rendering the Machine data failed: ${message}`);
  }
}
