import { readFile } from 'node:fs/promises';

export const CODEC_TOKEN_ENV = 'METAL3_PROVIDER_CODEC_TOKEN';

/** A codec-server flag or variable that cannot be used; the message names it. */
export class CodecServerSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecServerSettingsError';
  }
}

export interface CodecServerSettings {
  host: string;
  port: number;
  corsOrigins: string[];
  token?: string;
}

/** `127.0.0.1:8888`, `[::1]:8888`, `:8888` (all interfaces). */
export function parseListen(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65535) {
    throw new CodecServerSettingsError(`--listen ${value}: expected <host>:<port>, e.g. 127.0.0.1:8888`);
  }
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

/** Browsers send the origin as scheme://host[:port]; `http://localhost:8233/` is accepted as that origin. */
export function parseCorsOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CodecServerSettingsError(
      `--cors-origin ${value}: not a URL; use the Web UI's address, e.g. http://localhost:8233`,
    );
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || (url.pathname !== '/' && url.pathname !== '')) {
    throw new CodecServerSettingsError(`--cors-origin ${value}: expected http(s)://host[:port] without a path`);
  }
  return url.origin;
}

/** The bearer token from --token-file (preferred) or METAL3_PROVIDER_CODEC_TOKEN; undefined means none is required. */
export async function loadCodecToken(
  tokenFile: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  let token: string | undefined;
  let source: string;
  if (tokenFile !== undefined) {
    source = `--token-file ${tokenFile}`;
    try {
      token = (await readFile(tokenFile, 'utf8')).trim();
    } catch (error) {
      throw new CodecServerSettingsError(
        `${source}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
  } else {
    source = CODEC_TOKEN_ENV;
    token = env[CODEC_TOKEN_ENV]?.trim();
    if (token === undefined) return undefined;
  }
  if (token === '') throw new CodecServerSettingsError(`${source}: the token is empty`);
  return token;
}

export async function resolveCodecServerSettings(
  flags: { listen: string; corsOrigin: readonly string[]; tokenFile?: string },
  env: Readonly<Record<string, string | undefined>>,
): Promise<CodecServerSettings> {
  const token = await loadCodecToken(flags.tokenFile, env);
  return {
    ...parseListen(flags.listen),
    corsOrigins: flags.corsOrigin.map(parseCorsOrigin),
    ...(token !== undefined && { token }),
  };
}
