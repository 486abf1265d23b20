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

/**
 * Whether `host` reaches this machine only: `localhost`, an IPv4 address in 127.0.0.0/8, `::1` (or
 * an IPv4-mapped loopback address). An empty host, `0.0.0.0` and `::` listen on every interface.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost' || name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  return v4 !== null && v4.slice(1).every((part) => Number(part) <= 255) && v4[1] === '127';
}

export async function resolveCodecServerSettings(
  flags: { listen: string; corsOrigin: readonly string[]; tokenFile?: string },
  env: Readonly<Record<string, string | undefined>>,
): Promise<CodecServerSettings> {
  const listen = parseListen(flags.listen);
  const token = await loadCodecToken(flags.tokenFile, env);
  // Anyone who reaches the port could decode every payload: beyond loopback a caller must prove itself.
  if (token === undefined && !isLoopbackHost(listen.host)) {
    throw new CodecServerSettingsError(
      `--listen ${flags.listen}: listening beyond loopback needs a bearer token; set --token-file <file> ` +
        `(or ${CODEC_TOKEN_ENV}), or listen on 127.0.0.1 only`,
    );
  }
  return {
    ...listen,
    corsOrigins: flags.corsOrigin.map(parseCorsOrigin),
    ...(token !== undefined && { token }),
  };
}
