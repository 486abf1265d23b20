import type { Payload } from '@temporalio/common';
import protobuf from 'protobufjs';

/**
 * Temporal's `temporal.api.common.v1.Payload` wire format (metadata and data), so an encrypted
 * payload holds exactly what the server would have stored without encryption.
 */
const PayloadMessage = new protobuf.Type('Payload')
  .add(new protobuf.MapField('metadata', 1, 'string', 'bytes'))
  .add(new protobuf.Field('data', 2, 'bytes'));
new protobuf.Root().define('temporal.api.common.v1').add(PayloadMessage);

export function encodePayload(payload: Payload): Uint8Array {
  return PayloadMessage.encode({ metadata: payload.metadata ?? {}, data: payload.data ?? new Uint8Array() }).finish();
}

export function decodePayload(bytes: Uint8Array): Payload {
  const message = PayloadMessage.toObject(PayloadMessage.decode(bytes), { defaults: true }) as {
    metadata: Record<string, Uint8Array>;
    data: Uint8Array;
  };
  return { metadata: message.metadata, data: message.data };
}
