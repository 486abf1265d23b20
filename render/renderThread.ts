/**
 * A render thread (RenderPool's worker_threads entry): renders one Machine's data at a time. Each
 * template gets the deadline as a checkpoint, so a slow template stops by itself at its position; the
 * pool terminates the thread when even that does not happen in time (a single costly function call)
 * or it runs out of memory, and then reads where it was from the shared buffer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderMachineData } from './machineData.js';
import type { DocumentSource } from './renderLimits.js';
import { serializeError, type RenderRequest, type ThreadMessage } from './renderProtocol.js';
import type { Checkpoint } from '../packages/go-template/src/index.js';

const port = parentPort;
if (port === null) throw new Error('renderThread.ts runs as a worker thread of RenderPool');
const position = new Int32Array((workerData as { position: SharedArrayBuffer }).position);

const send = (message: ThreadMessage): void => {
  port.postMessage(message);
};

function render(request: RenderRequest): void {
  const startDocument = (source: DocumentSource): Checkpoint => {
    send({ type: 'document', id: request.id, source });
    Atomics.store(position, 0, 0);
    const deadline = performance.now() + request.timeoutMs;
    return (_where, offset) => {
      Atomics.store(position, 0, offset + 1);
      return performance.now() > deadline ? `exceeded the time limit of ${request.timeoutMs} ms` : undefined;
    };
  };
  try {
    const data = renderMachineData(request.input, {
      maxSteps: request.maxSteps,
      maxOutputBytes: request.maxOutputBytes,
      startDocument,
      // Every step: the offset is then exact when the pool has to terminate the thread, and a clock
      // read per step costs little beside the step itself.
      checkpointSteps: 1,
    });
    send({ type: 'done', id: request.id, data });
  } catch (error) {
    send({ type: 'failed', id: request.id, error: serializeError(error) });
  }
}

port.on('message', (request: RenderRequest) => {
  render(request);
});
send({ type: 'ready' });
