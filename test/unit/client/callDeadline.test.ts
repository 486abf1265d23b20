import { createServer, type Server, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { Client, Connection, isGrpcDeadlineError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MachineClient } from '../../../client/machineClient.js';

/**
 * A Temporal address that accepts connections and never answers, as a frontend lost under load can
 * look: the controller's calls must give up at their deadline instead of waiting forever.
 */
let silent: Server;
const sockets: Socket[] = [];
let address = '';

beforeAll(async () => {
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const bound = silent.address();
  if (bound === null || typeof bound === 'string') throw new Error('no TCP address');
  address = `127.0.0.1:${bound.port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('MachineClient.withCallDeadline', () => {
  it('fails a status query the server never answers at the deadline', async () => {
    const connection = Connection.lazy({ address });
    const machines = new MachineClient(new Client({ connection }), new KubeConfig());
    const error = await machines
      .withCallDeadline(500, () => machines.getMachineStatus({ namespace: 'team-a', name: 'web-1' }))
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(isGrpcDeadlineError(error)).toBe(true);
    await connection.close();
  });

  it('fails the visibility query of the phase feed at the deadline', async () => {
    const connection = Connection.lazy({ address });
    const machines = new MachineClient(new Client({ connection }), new KubeConfig());
    const error = await machines
      .withCallDeadline(500, () => machines.listPhaseChanges(new Date()))
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(isGrpcDeadlineError(error)).toBe(true);
    await connection.close();
  });
});
