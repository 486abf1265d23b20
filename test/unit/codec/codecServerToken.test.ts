import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CodecServerSettingsError,
  isLoopbackHost,
  resolveCodecServerSettings,
} from '../../../codec/codecServerSettings.js';

// The codec server decodes every payload for whoever calls it: beyond loopback it refuses to start
// without a bearer token.
describe('codec server token rule', () => {
  it.each(['0.0.0.0:8888', ':8888', '[::]:8888', '10.0.0.5:8888', 'codec.example.internal:8888'])(
    'refuses --listen %s without a token, naming the flags',
    async (listen) => {
      const settings = resolveCodecServerSettings({ listen, corsOrigin: [] }, {});
      await expect(settings).rejects.toThrow(CodecServerSettingsError);
      await expect(resolveCodecServerSettings({ listen, corsOrigin: [] }, {})).rejects.toThrow(
        `--listen ${listen}: listening beyond loopback needs a bearer token; set --token-file <file> (or METAL3_PROVIDER_CODEC_TOKEN), or listen on 127.0.0.1 only`,
      );
    },
  );

  it.each(['127.0.0.1:8888', '127.1.2.3:8888', 'localhost:8888', '[::1]:8888', '[::ffff:127.0.0.1]:8888'])(
    'starts on loopback %s without a token',
    async (listen) => {
      const settings = await resolveCodecServerSettings({ listen, corsOrigin: [] }, {});
      expect(settings.token).toBeUndefined();
    },
  );

  it('starts on every interface with a token from --token-file or the variable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'codec-token-'));
    const file = join(dir, 'token');
    await writeFile(file, 's3cret\n');
    const flags = { listen: '0.0.0.0:8888', corsOrigin: [] };
    expect(await resolveCodecServerSettings({ ...flags, tokenFile: file }, {})).toMatchObject({
      host: '0.0.0.0',
      port: 8888,
      token: 's3cret',
    });
    expect((await resolveCodecServerSettings(flags, { METAL3_PROVIDER_CODEC_TOKEN: 'from-env' })).token).toBe(
      'from-env',
    );
  });

  it('tells loopback hosts from the rest', () => {
    expect(
      ['127.0.0.1', '127.255.255.254', 'localhost', 'LOCALHOST', '::1', '::ffff:127.0.0.1'].map(isLoopbackHost),
    ).toEqual([true, true, true, true, true, true]);
    expect(
      ['0.0.0.0', '', '::', '128.0.0.1', '127.0.0.256', '10.127.0.1', 'localhost.example.com'].map(isLoopbackHost),
    ).toEqual([false, false, false, false, false, false, false]);
  });
});
