import type { Command } from 'commander';
import { pino } from 'pino';
import { ConfigValidationError } from '../api/issues.js';
import { CODEC_KEY_ENV, CODEC_KEYS_FILE_ENV } from '../codec/codecKeys.js';
import { startCodecServer } from '../codec/codecServer.js';
import { CODEC_TOKEN_ENV, CodecServerSettingsError, resolveCodecServerSettings } from '../codec/codecServerSettings.js';
import { AesGcmCodec } from '../codec/aesGcmCodec.js';
import { loadCodecKeys } from '../codec/loadDataConverter.js';

interface CodecServerFlags {
  listen: string;
  corsOrigin: string[];
  tokenFile?: string;
  logLevel: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `metal3-provider codec-server`: decodes encrypted payloads for the Temporal Web UI and CLI. */
export function registerCodecServerCommand(program: Command): void {
  program
    .command('codec-server')
    .description(
      `serve POST /encode and /decode (Temporal codec server) with the keys of ${CODEC_KEYS_FILE_ENV} or ${CODEC_KEY_ENV}`,
    )
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:8888')
    .option('--cors-origin <url>', 'Web UI origin allowed to call from a browser; repeatable', collect, [])
    .option('--token-file <file>', `file holding the bearer token callers must send (else ${CODEC_TOKEN_ENV})`)
    .option('--log-level <level>', 'pino log level', 'info')
    .action(async (flags: CodecServerFlags) => {
      const logger = pino({ name: 'metal3-provider', base: { server: 'codec' }, level: flags.logLevel });
      let settings;
      let keys;
      try {
        settings = await resolveCodecServerSettings(flags, process.env);
        keys = await loadCodecKeys();
      } catch (error) {
        if (!(error instanceof CodecServerSettingsError || error instanceof ConfigValidationError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 2;
        return;
      }
      if (!keys) {
        process.stderr.write(`no codec key is configured: set ${CODEC_KEYS_FILE_ENV} or ${CODEC_KEY_ENV}\n`);
        process.exitCode = 2;
        return;
      }
      const codecKeys = keys;
      const server = await startCodecServer({
        codecFor: (namespace) => new AesGcmCodec(codecKeys, namespace),
        ...settings,
        logger,
      });
      logger.info(
        { url: server.url, corsOrigins: settings.corsOrigins, tokenRequired: settings.token !== undefined },
        'codec server listening',
      );
      const stop = (): void => {
        void server.close();
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
