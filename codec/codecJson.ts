import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { formatIssue } from '../api/issues.js';
import { validateWith } from '../api/zodIssues.js';
import { base64Problem } from './base64.js';

const Base64 = z.string().superRefine((value, context) => {
  const problem = base64Problem(value);
  if (problem) context.addIssue({ code: 'custom', message: `is not base64: ${problem}` });
});

/** One payload in Temporal's codec server JSON: metadata values and data in base64. */
export const JsonPayload = z.object({
  metadata: z.record(z.string(), Base64).optional(),
  data: Base64.optional(),
});
export type JsonPayload = z.infer<typeof JsonPayload>;

/** The body of `/encode` and `/decode` requests and answers: `{"payloads": [...]}`. */
export const CodecRequest = z.object({ payloads: z.array(JsonPayload) });
export type CodecRequest = z.infer<typeof CodecRequest>;

/** A request body that is not codec server JSON; the message says where. */
export class CodecRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecRequestError';
  }
}

/** Parses a request body into payloads, or throws CodecRequestError naming the bad field. */
export function parseCodecRequest(body: string): Payload[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new CodecRequestError(`request body is not JSON: ${(error as Error).message}`);
  }
  const result = validateWith(CodecRequest, value);
  if (!result.ok) {
    throw new CodecRequestError(
      `request body is not {"payloads": [{"metadata": {...}, "data": "<base64>"}]}: ${result.issues.map(formatIssue).join('; ')}`,
    );
  }
  return result.value.payloads.map(fromJson);
}

export function fromJson(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
    ),
    data: Buffer.from(payload.data ?? '', 'base64'),
  };
}

export function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

export function codecResponse(payloads: Payload[]): string {
  return JSON.stringify({ payloads: payloads.map(toJson) } satisfies CodecRequest);
}
