import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigValidationError, type ConfigIssue } from '../api/issues.js';
import { validateWith } from '../api/zodIssues.js';
import { isBase64 } from './base64.js';

/** Environment variables that configure payload encryption. */
export const CODEC_KEYS_FILE_ENV = 'METAL3_PROVIDER_CODEC_KEYS_FILE';
export const CODEC_KEY_ENV = 'METAL3_PROVIDER_CODEC_KEY';

/** AES-256: keys are exactly 32 bytes. */
export const KEY_BYTES = 32;

/** Key ids travel in payload metadata and name keys in errors: short, printable, no separators. */
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEY_ID_RULE = 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit';
const KeyId = z.string().regex(KEY_ID, KEY_ID_RULE);

// The message never echoes the value: it is key material.
const KeyMaterial = z.string().transform((value, ctx) => {
  const text = value.trim();
  const bytes = isBase64(text) ? Buffer.from(text, 'base64') : undefined;
  if (bytes?.length !== KEY_BYTES) {
    ctx.addIssue({
      code: 'custom',
      message: `must be the base64 encoding of exactly ${KEY_BYTES} random bytes (${
        bytes ? `this decodes to ${bytes.length} bytes` : 'this is not base64'
      }); make one with: openssl rand -base64 ${KEY_BYTES}`,
    });
    return z.NEVER;
  }
  return bytes;
});

/** The keys file: `current: <id>` and `keys: {<id>: <base64 of 32 bytes>}`, YAML or JSON. */
export const CodecKeysFile = z
  .strictObject({
    current: KeyId,
    keys: z.record(z.string(), KeyMaterial),
  })
  .superRefine((file, ctx) => {
    const ids = Object.keys(file.keys);
    if (ids.length === 0) ctx.addIssue({ code: 'custom', path: ['keys'], message: 'must hold at least one key' });
    for (const id of ids.filter((id) => !KEY_ID.test(id))) {
      ctx.addIssue({ code: 'custom', path: ['keys', id], message: `is not a valid key id: it ${KEY_ID_RULE}` });
    }
    if (!(file.current in file.keys)) {
      ctx.addIssue({
        code: 'custom',
        path: ['current'],
        message: `names key "${file.current}", which is not in keys (${Object.keys(file.keys).join(', ')})`,
      });
    }
  });
export type CodecKeysFile = z.infer<typeof CodecKeysFile>;

/** The key ring a codec works with: new payloads use `current`; any key in `keys` decrypts. */
export interface CodecKeys {
  readonly current: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Key configuration that cannot be used; the message names the field and never the key material. */
export class CodecKeyConfigError extends ConfigValidationError {
  constructor(subject: string, issues: readonly ConfigIssue[]) {
    super(subject, issues);
    this.name = 'CodecKeyConfigError';
  }
}

function toKeys(file: CodecKeysFile): CodecKeys {
  return { current: file.current, keys: new Map(Object.entries(file.keys)) };
}

/** Parses the text of a keys file; `source` names it in errors. */
export function parseCodecKeysFile(text: string, source: string): CodecKeys {
  const subject = `codec keys file ${source}`;
  let value: unknown;
  try {
    value = parseYaml(text) as unknown; // YAML is a superset of JSON
  } catch (error) {
    // Only the first line: the rest quotes the file, which holds key material.
    const reason = (error as Error).message.split('\n')[0]?.replace(/:$/, '') ?? '';
    throw new CodecKeyConfigError(subject, [{ path: [], message: `is not YAML or JSON: ${reason}` }]);
  }
  const result = validateWith(CodecKeysFile, value);
  if (!result.ok) throw new CodecKeyConfigError(subject, result.issues);
  return toKeys(result.value);
}

/** Parses `<id>:<base64 of 32 bytes>`, the single-key form of the environment variable. */
export function parseCodecKeyEnv(value: string): CodecKeys {
  const subject = CODEC_KEY_ENV;
  const colon = value.indexOf(':');
  if (colon < 0) {
    throw new CodecKeyConfigError(subject, [
      { path: [], message: 'must be <key id>:<base64 of 32 bytes>, e.g. k1:$(openssl rand -base64 32)' },
    ]);
  }
  const id = validateWith(KeyId, value.slice(0, colon).trim());
  const material = validateWith(KeyMaterial, value.slice(colon + 1));
  const issues = [
    ...(id.ok ? [] : id.issues.map((i) => ({ path: [], message: `key id ${i.message}` }))),
    ...(material.ok ? [] : material.issues.map((i) => ({ path: [], message: `key material ${i.message}` }))),
  ];
  if (!id.ok || !material.ok) throw new CodecKeyConfigError(subject, issues);
  return { current: id.value, keys: new Map([[id.value, material.value]]) };
}
