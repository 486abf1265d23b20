import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { AesGcmCodec } from '../../../codec/aesGcmCodec.js';
import { CodecKeyConfigError, parseCodecKeyEnv, parseCodecKeysFile } from '../../../codec/codecKeys.js';
import { loadCodecKeys, loadDataConverter } from '../../../codec/loadDataConverter.js';

const key = () => randomBytes(32).toString('base64');

function errorOf(run: () => unknown): CodecKeyConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof CodecKeyConfigError) return error;
    throw error;
  }
  throw new Error('expected a CodecKeyConfigError');
}

describe('codec keys file', () => {
  it('reads YAML and JSON with the current key and older ones', () => {
    const [a, b] = [key(), key()];
    const yaml = parseCodecKeysFile(stringify({ current: 'k2', keys: { k1: a, k2: b } }), 'keys.yaml');
    expect(yaml.current).toBe('k2');
    expect(yaml.keys.get('k1')?.toString('base64')).toBe(a);
    expect(yaml.keys.get('k2')?.length).toBe(32);
    const json = parseCodecKeysFile(JSON.stringify({ current: 'k1', keys: { k1: a } }), 'keys.json');
    expect([...json.keys.keys()]).toEqual(['k1']);
  });

  it.each([
    [
      { current: 'k1', keys: { k1: 'c2hvcnQ=' } },
      /^ {2}keys\.k1: must be the base64 encoding of exactly 32 .*decodes to 5 bytes/m,
    ],
    [{ current: 'k1', keys: { k1: 'not base64!' } }, /^ {2}keys\.k1: .*this is not base64/m],
    [{ current: 'k1', keys: { k1: 12345 } }, /^ {2}keys\.k1: expected a string/m],
    [{ current: 'k3', keys: { k1: key() } }, /^ {2}current: names key "k3", which is not in keys \(k1\)/m],
    [{ keys: { k1: key() } }, /^ {2}current: is required/m],
    [{ current: 'k1', keys: {} }, /^ {2}keys: must hold at least one key/m],
    [{ current: 'k1', keys: { 'bad id': key() } }, /^ {2}keys\["bad id"\]: is not a valid key id/m],
    [{ current: 'k1', keys: { k1: key() }, curent: 'x' }, /unknown field "curent"/],
  ])('rejects bad key material naming the field (%#)', (file, message) => {
    const error = errorOf(() => parseCodecKeysFile(stringify(file), '/etc/keys.yaml'));
    expect(error.message).toMatch(/^codec keys file \/etc\/keys\.yaml is invalid/);
    expect(error.message).toMatch(message);
  });

  it('never repeats key material in its errors', () => {
    const short = randomBytes(16).toString('base64');
    expect(
      errorOf(() => parseCodecKeysFile(stringify({ current: 'k1', keys: { k1: short } }), 'f')).message,
    ).not.toContain(short);
    const broken = `current: k1\nkeys:\n  k1: ${short}\n  - oops`;
    const syntax = errorOf(() => parseCodecKeysFile(broken, 'f'));
    expect(syntax.message).toMatch(/is not YAML or JSON/);
    expect(syntax.message).not.toContain(short);
  });
});

describe('codec key variable', () => {
  it('reads <id>:<base64>', () => {
    const material = key();
    const keys = parseCodecKeyEnv(`prod-2026:${material}`);
    expect(keys.current).toBe('prod-2026');
    expect(keys.keys.get('prod-2026')?.toString('base64')).toBe(material);
  });

  it.each([
    ['justakey', /must be <key id>:<base64 of 32 bytes>/],
    [`:${key()}`, /key id must be 1-64 letters/],
    ['k1:c2hvcnQ=', /key material must be the base64 encoding of exactly 32/],
  ])('rejects %s naming the variable and the part', (value, message) => {
    const error = errorOf(() => parseCodecKeyEnv(value));
    expect(error.message).toMatch(/^METAL3_PROVIDER_CODEC_KEY is invalid/);
    expect(error.message).toMatch(message);
  });
});

describe('loadDataConverter', () => {
  it('is undefined without keys: payloads stay as the SDK writes them', async () => {
    expect(await loadDataConverter('team-a', {})).toBeUndefined();
  });

  it('loads the keys file named by METAL3_PROVIDER_CODEC_KEYS_FILE into an encryption codec', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'codec-keys-'));
    const file = join(dir, 'keys.yaml');
    await writeFile(file, stringify({ current: 'k2', keys: { k1: key(), k2: key() } }));
    const converter = await loadDataConverter('team-a', { METAL3_PROVIDER_CODEC_KEYS_FILE: file });
    const codec = converter?.payloadCodecs?.[0];
    expect(codec).toBeInstanceOf(AesGcmCodec);
    expect((codec as AesGcmCodec).currentKeyId).toBe('k2');
    expect((codec as AesGcmCodec).namespace).toBe('team-a');
  });

  it('names the variable when the file cannot be read, and refuses both variables at once', async () => {
    await expect(loadCodecKeys({ METAL3_PROVIDER_CODEC_KEYS_FILE: '/nonexistent/keys.yaml' })).rejects.toThrow(
      /METAL3_PROVIDER_CODEC_KEYS_FILE is invalid:\n {2}cannot read \/nonexistent\/keys\.yaml: ENOENT/,
    );
    await expect(
      loadCodecKeys({ METAL3_PROVIDER_CODEC_KEYS_FILE: '/x', METAL3_PROVIDER_CODEC_KEY: `k1:${key()}` }),
    ).rejects.toThrow(/not both/);
  });
});
