import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { Client } from '@temporalio/client';
import { DefaultPayloadConverter, type Payload } from '@temporalio/common';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { API_GROUP } from '../../../api/objectMeta.js';
import { MachineClient } from '../../../client/machineClient.js';
import { ENCRYPTED_ENCODING, METADATA_ENCRYPTION_KEY_ID } from '../../../codec/aesGcmCodec.js';
import { fromJson, toJson, type CodecRequest } from '../../../codec/codecJson.js';
import { projectRoot } from '../../../devstack/devstack.js';
import { freePort } from '../../../devstack/freePort.js';
import { ManagedProcess } from '../../../devstack/managedProcess.js';
import { createProvisioningWorker } from '../../../worker/provisioningWorker.js';
import { connectClient, connectWorker } from '../../../worker/temporalConnection.js';
import type { echoWorkflow } from '../../support/testWorkflows.js';
import { useMachineStack } from '../../support/machineStack.js';

const stack = useMachineStack({ hosts: 1, worker: false });
const converter = new DefaultPayloadConverter();
const UI_ORIGIN = 'http://127.0.0.1:8233';
const TOKEN = randomBytes(24).toString('base64url');

let client: Client;
let machines: MachineClient;
let connection: NativeConnection;
const workers: Worker[] = [];
const running: Promise<void>[] = [];
let codecServer: ManagedProcess;
let codecUrl: string;
const echoQueue = () => `${stack.env.taskQueue}-echo`;
const savedEnv = { ...process.env };

/** Every string and byte array in a history as the server stored it, searched for `marker`. */
function storedHistoryContains(value: unknown, marker: string): boolean {
  if (typeof value === 'string') return value.includes(marker);
  if (value instanceof Uint8Array) return Buffer.from(value).includes(marker);
  if (Array.isArray(value)) return value.some((v) => storedHistoryContains(v, marker));
  if (value && typeof value === 'object') return Object.values(value).some((v) => storedHistoryContains(v, marker));
  return false;
}

const meta = (payload: Payload | undefined, key: string) => Buffer.from(payload?.metadata?.[key] ?? []).toString();

async function startedInput(workflowId: string): Promise<Payload[]> {
  // The test env's client has no codec: it sees what the server stores.
  const history = await stack.env.temporal.client.workflow.getHandle(workflowId).fetchHistory();
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
}

function codecRequest(path: string, init: { origin?: string; token?: string; body?: string; method?: string } = {}) {
  return fetch(`${codecUrl}${path}`, {
    method: init.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      'x-namespace': stack.env.temporal.namespace,
      ...(init.origin && { origin: init.origin }),
      ...(init.token && { authorization: `Bearer ${init.token}` }),
    },
    ...(init.body !== undefined && { body: init.body }),
  });
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'codec-it-'));
  const keysFile = join(dir, 'codec-keys.yaml');
  const tokenFile = join(dir, 'codec-token');
  const key = () => randomBytes(32).toString('base64');
  await writeFile(keysFile, stringify({ current: 'k2', keys: { k1: key(), k2: key() } }));
  await writeFile(tokenFile, `${TOKEN}\n`);
  // Configured the way operators do: envconfig variables and the keys file variable.
  Object.assign(process.env, {
    TEMPORAL_ADDRESS: stack.env.temporal.address,
    TEMPORAL_NAMESPACE: stack.env.temporal.namespace,
    METAL3_PROVIDER_CODEC_KEYS_FILE: keysFile,
  });

  const worker = await connectWorker();
  connection = worker.connection;
  expect(worker.dataConverter).toBeDefined();
  workers.push(
    await createProvisioningWorker({
      connection,
      namespace: worker.namespace,
      kubeConfig: stack.env.kubeConfig,
      taskQueue: stack.env.taskQueue,
      workflowBundlePath: stack.env.encodedFailuresBundlePath,
      dataConverter: worker.dataConverter,
    }),
    await Worker.create({
      connection,
      namespace: worker.namespace,
      taskQueue: echoQueue(),
      workflowBundle: { codePath: stack.env.encodedFailuresBundlePath },
      activities: { echo: (message: string) => Promise.resolve(message) },
      ...(worker.dataConverter && { dataConverter: worker.dataConverter }),
    }),
  );
  running.push(...workers.map((w) => w.run()));
  client = await connectClient();
  machines = new MachineClient(client, stack.env.kubeConfig, stack.env.taskQueue);

  const port = await freePort();
  codecUrl = `http://127.0.0.1:${port}`;
  codecServer = ManagedProcess.start(
    'codec-server',
    process.execPath,
    [
      join(projectRoot, 'bin', 'metal3-provider.js'),
      'codec-server',
      '--listen',
      `127.0.0.1:${port}`,
      '--cors-origin',
      UI_ORIGIN,
      '--token-file',
      tokenFile,
    ],
    join(dir, 'codec-server.log'),
    { ...process.env, METAL3_PROVIDER_CODEC_KEYS_FILE: keysFile },
  );
  await codecServer.waitUntilReady(
    async () => (await codecRequest('/decode', { method: 'OPTIONS', origin: UI_ORIGIN })).status === 204,
    60_000,
  );
});

afterAll(async () => {
  for (const w of workers) w.shutdown();
  await Promise.all(running);
  await connection.close();
  await client.connection.close();
  await codecServer.stop();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) Reflect.deleteProperty(process.env, key);
  Object.assign(process.env, savedEnv);
});

describe('payload encryption', () => {
  it('stores no readable input, result or activity data; the codec server decodes it with the token', async () => {
    const marker = `marker-${randomUUID()}`;
    const workflowId = `echo-${marker}`.slice(0, 40);
    const result = await client.workflow.execute<typeof echoWorkflow>('echoWorkflow', {
      workflowId,
      taskQueue: echoQueue(),
      args: [`hello ${marker}`],
    });
    expect(result).toBe(`hello ${marker}`);

    const history = await stack.env.temporal.client.workflow.getHandle(workflowId).fetchHistory();
    expect(storedHistoryContains(history.events, marker.slice(0, 20))).toBe(true); // the workflow id holds it
    expect(storedHistoryContains(history.events, `hello ${marker}`)).toBe(false);
    const input = await startedInput(workflowId);
    expect(input).toHaveLength(1);
    expect(meta(input[0], 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(meta(input[0], METADATA_ENCRYPTION_KEY_ID)).toBe('k2');
    // A client without the codec cannot read the result.
    await expect(stack.env.temporal.client.workflow.getHandle(workflowId).result()).rejects.toThrow();

    const body = JSON.stringify({ payloads: input.map(toJson) });
    const decoded = await codecRequest('/decode', { token: TOKEN, body });
    expect(decoded.status).toBe(200);
    expect(await valuesOf(decoded)).toEqual([`hello ${marker}`]);

    expect((await codecRequest('/decode', { body })).status).toBe(401);
    expect((await codecRequest('/decode', { token: `${TOKEN}x`, body })).status).toBe(401);
  });

  it('a workflow started without the codec is readable in history (the check above can fail)', async () => {
    const marker = `plain-${randomUUID()}`;
    const handle = await stack.env.temporal.client.workflow.start<typeof echoWorkflow>('echoWorkflow', {
      workflowId: `echo-${randomUUID()}`,
      taskQueue: echoQueue(),
      args: [marker],
    });
    // The worker decodes unencrypted input unchanged; its result is encrypted, so read it with the codec.
    expect(await client.workflow.getHandle(handle.workflowId).result()).toBe(marker);
    const history = await handle.fetchHistory();
    expect(storedHistoryContains(history.events, marker)).toBe(true);
  });

  it('runs a Machine lifecycle on the encrypted provisioning worker; the NodeClaim uid stays out of history', async () => {
    const handle = await machines.provisionMachine(stack.claim('enc-m1'));
    const machine = { namespace: stack.env.namespace, name: 'enc-m1' };
    await expect
      .poll(async () => (await machines.getMachineStatus(machine))?.phase, { timeout: 60_000, interval: 250 })
      .toBe('Ready');
    const claim = (await stack.env.kubeConfig.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
      group: API_GROUP,
      version: 'v1',
      namespace: stack.env.namespace,
      plural: 'nodeclaims',
      name: 'enc-m1',
    })) as { metadata: { uid: string } };
    const input = await startedInput(handle.workflowId);
    expect(input.map((p) => meta(p, 'encoding'))).toEqual([ENCRYPTED_ENCODING]);
    const history = await stack.env.temporal.client.workflow.getHandle(handle.workflowId).fetchHistory();
    expect(history.events?.length).toBeGreaterThan(5);
    expect(storedHistoryContains(history.events, claim.metadata.uid)).toBe(false);

    expect(await machines.releaseMachine(machine)).toContain('release');
    expect((await machines.handle(machine).result()).phase).toBe('Released');
  });

  it('encodes failures too: a failed step names its Secret only to a reader with the codec', async () => {
    const marker = `gone-${randomUUID().slice(0, 8)}`;
    const machine = { namespace: stack.env.namespace, name: 'enc-fail' };
    const handle = await machines.provisionMachine(
      stack.claim('enc-fail', { 'metal3-provider.io/join-secret': `${stack.env.namespace}/${marker}` }),
    );
    await expect
      .poll(async () => (await machines.getMachineStatus(machine))?.details ?? '', { timeout: 60_000, interval: 250 })
      .toContain(marker);
    // A configuration that names a missing Secret fails the Machine: the workflow's own failure too.
    const failed = await handle.result().then(
      () => undefined,
      (err: unknown) => err as { cause?: Error },
    );
    expect(failed?.cause?.message).toContain(marker);
    const history = await stack.env.temporal.client.workflow.getHandle(handle.workflowId).fetchHistory();
    const stored = JSON.stringify(history.events);
    // The failures are in history, each message encrypted in place of the text.
    expect(stored).toContain('Encoded failure');
    expect(stored).toContain('workflowExecutionFailedEventAttributes');
    expect(storedHistoryContains(history.events, marker)).toBe(false);
  });

  it('encodes through /encode what /decode reads back', async () => {
    const original = converter.toPayload({ note: 'via the codec server' });
    const encoded = await codecRequest('/encode', {
      token: TOKEN,
      body: JSON.stringify({ payloads: [toJson(original)] }),
    });
    expect(encoded.status).toBe(200);
    const encrypted = (await encoded.json()) as CodecRequest;
    expect(Buffer.from(encrypted.payloads[0]?.metadata?.encoding ?? '', 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    const decoded = await codecRequest('/decode', { token: TOKEN, body: JSON.stringify(encrypted) });
    expect(await valuesOf(decoded)).toEqual([{ note: 'via the codec server' }]);
  });

  it('answers CORS preflight for the allowed Web UI origin only', async () => {
    const allowed = await codecRequest('/decode', { method: 'OPTIONS', origin: UI_ORIGIN });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const allowHeaders = allowed.headers.get('access-control-allow-headers') ?? '';
    for (const header of ['content-type', 'x-namespace', 'authorization']) expect(allowHeaders).toContain(header);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');

    const other = await codecRequest('/decode', { method: 'OPTIONS', origin: 'http://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-headers')).toBeNull();

    const post = await codecRequest('/decode', { origin: UI_ORIGIN, token: TOKEN, body: '{"payloads":[]}' });
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  });

  it('answers bad requests with 400 naming the problem, and oversized bodies with 413', async () => {
    const notJson = await codecRequest('/decode', { token: TOKEN, body: '{' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON/);
    const badField = await codecRequest('/decode', { token: TOKEN, body: '{"payloads":[{"data":"%%"}]}' });
    expect(((await badField.json()) as { error: string }).error).toMatch(/payloads\[0\]\.data: is not base64/);
    const unknownKey = await codecRequest('/decode', {
      token: TOKEN,
      body: JSON.stringify({
        payloads: [
          {
            metadata: {
              encoding: Buffer.from(ENCRYPTED_ENCODING).toString('base64'),
              [METADATA_ENCRYPTION_KEY_ID]: Buffer.from('k0').toString('base64'),
            },
            data: randomBytes(40).toString('base64'),
          },
        ],
      }),
    });
    expect(unknownKey.status).toBe(400);
    expect(((await unknownKey.json()) as { error: string }).error).toMatch(/key "k0"/);
    const huge = await codecRequest('/decode', { token: TOKEN, body: 'x'.repeat(9 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect((await codecRequest('/nowhere', { token: TOKEN, body: '{}' })).status).toBe(404);
  });
});

/** The values in a codec server answer, read with the SDK's default converter. */
async function valuesOf(response: Response): Promise<unknown[]> {
  const { payloads } = (await response.json()) as CodecRequest;
  return payloads.map((p) => converter.fromPayload(fromJson(p)));
}
