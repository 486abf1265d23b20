import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aesGcmCodec.js';
import {
  CODEC_KEY_ENV,
  CODEC_KEYS_FILE_ENV,
  CodecKeyConfigError,
  parseCodecKeyEnv,
  parseCodecKeysFile,
  type CodecKeys,
} from './codecKeys.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The codec keys configured for this process: the keys file named by METAL3_PROVIDER_CODEC_KEYS_FILE
 * (several keys, for rotation) or the single key in METAL3_PROVIDER_CODEC_KEY; undefined when neither
 * is set, i.e. payloads are not encrypted.
 */
export async function loadCodecKeys(env: Env = process.env): Promise<CodecKeys | undefined> {
  const file = env[CODEC_KEYS_FILE_ENV]?.trim();
  const single = env[CODEC_KEY_ENV]?.trim();
  if (file && single) {
    throw new CodecKeyConfigError('codec key configuration', [
      { path: [], message: `set ${CODEC_KEYS_FILE_ENV} or ${CODEC_KEY_ENV}, not both` },
    ]);
  }
  if (single) return parseCodecKeyEnv(single);
  if (!file) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CodecKeyConfigError(CODEC_KEYS_FILE_ENV, [
      { path: [], message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` },
    ]);
  }
  return parseCodecKeysFile(text, file);
}

/** The failure converter that moves messages and stack traces into a payload, where the codec encrypts them. */
export const ENCODED_FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./encodedFailureConverter.cjs', import.meta.url));

/**
 * The data converter every client, worker and controller of this project uses: the SDK defaults plus
 * the encryption codec, bound to `namespace`, and encoded failure attributes when a key is configured;
 * undefined (SDK defaults) otherwise.
 */
export async function loadDataConverter(namespace: string, env: Env = process.env): Promise<DataConverter | undefined> {
  const keys = await loadCodecKeys(env);
  return (
    keys && {
      payloadCodecs: [new AesGcmCodec(keys, namespace)],
      failureConverterPath: ENCODED_FAILURE_CONVERTER_PATH,
    }
  );
}
