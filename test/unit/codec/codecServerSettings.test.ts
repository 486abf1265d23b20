import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodecRequestError, codecResponse, parseCodecRequest } from '../../../codec/codecJson.js';
import {
  CodecServerSettingsError,
  parseCorsOrigin,
  parseListen,
  resolveCodecServerSettings,
} from '../../../codec/codecServerSettings.js';

describe('codec server settings', () => {
  it('parses --listen forms', () => {
    expect(parseListen('127.0.0.1:8888')).toEqual({ host: '127.0.0.1', port: 8888 });
    expect(parseListen('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseListen(':8888')).toEqual({ host: '0.0.0.0', port: 8888 });
    expect(() => parseListen('8888')).toThrow(/--listen 8888: expected <host>:<port>/);
    expect(() => parseListen('h:70000')).toThrow(CodecServerSettingsError);
  });

  it('normalizes --cors-origin to the origin a browser sends, and rejects paths and non-URLs', () => {
    expect(parseCorsOrigin('http://localhost:8233/')).toBe('http://localhost:8233');
    expect(parseCorsOrigin('https://temporal.example.com')).toBe('https://temporal.example.com');
    expect(() => parseCorsOrigin('localhost:8233')).toThrow(/--cors-origin localhost:8233/);
    expect(() => parseCorsOrigin('http://ui.example.com/namespaces')).toThrow(/without a path/);
  });

  it('takes the token from --token-file before the variable, and refuses an empty one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'codec-token-'));
    const file = join(dir, 'token');
    await writeFile(file, 's3cret\n');
    const env = { METAL3_PROVIDER_CODEC_TOKEN: 'from-env' };
    const flags = { listen: '127.0.0.1:0', corsOrigin: [] };
    expect((await resolveCodecServerSettings({ ...flags, tokenFile: file }, env)).token).toBe('s3cret');
    expect((await resolveCodecServerSettings(flags, env)).token).toBe('from-env');
    expect((await resolveCodecServerSettings(flags, {})).token).toBeUndefined();
    await expect(resolveCodecServerSettings(flags, { METAL3_PROVIDER_CODEC_TOKEN: ' ' })).rejects.toThrow(
      /METAL3_PROVIDER_CODEC_TOKEN: the token is empty/,
    );
    await expect(resolveCodecServerSettings({ ...flags, tokenFile: join(dir, 'missing') }, {})).rejects.toThrow(
      /--token-file .*missing: cannot read: ENOENT/,
    );
  });
});

describe('codec server JSON', () => {
  it('round-trips payloads in the Web UI format', () => {
    const body = JSON.stringify({
      payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: 'ImhpIg==' }],
    });
    const payloads = parseCodecRequest(body);
    expect(Buffer.from(payloads[0]?.data ?? []).toString()).toBe('"hi"');
    expect(JSON.parse(codecResponse(payloads))).toEqual(JSON.parse(body));
  });

  it.each([
    ['{', /request body is not JSON/],
    ['{"payload": []}', /payloads: is required/],
    ['{"payloads": [{"data": "%%%"}]}', /payloads\[0\]\.data: is not base64/],
    ['{"payloads": [{"metadata": {"encoding": 5}}]}', /payloads\[0\]\.metadata\.encoding: expected a string/],
  ])('rejects %s with a message naming the field', (body, message) => {
    expect(() => parseCodecRequest(body)).toThrow(CodecRequestError);
    expect(() => parseCodecRequest(body)).toThrow(message);
  });
});
