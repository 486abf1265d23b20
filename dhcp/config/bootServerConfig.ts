import { Address4 } from 'ip-address';
import { BUNDLED_CHART_DIRS, readChartDefaults } from '../../api/charts/bundledCharts.js';
import { chartValuesProblems } from '../../api/charts/chartValues.js';
import { isMapping, mergeValues, valueAtPath, valuesAtPath, type HelmValues } from '../../api/charts/helmValues.js';
import { formatPath } from '../../api/fieldPath.js';
import { DEFAULT_TFTP_BUSY_POLL_MICROS } from '../tftp/busyPoll.js';
import {
  DEFAULT_TFTP_MAX_TRANSFERS,
  DEFAULT_TFTP_MAX_TRANSFERS_PER_CLIENT,
  parseTransferCount,
} from '../tftp/tftpTransferLimits.js';
import { DEFAULT_INSPECTOR_COLLECTORS, type ScriptSettings } from '../httpboot/ipxeScripts.js';
import { splitHostPort } from '../udp/udpSocket.js';

/**
 * The boot server's configuration: the DHCP chart's Helm values (`dhcp.*`, `tftp.*`, `http.*`,
 * `proxy.*`) and the server flags. Strings may use `{{ .Values.x.y }}` as the chart's `tpl`
 * does and `$(VAR)` as Kubernetes expands container arguments.
 */

/** The sections of the chart's values the boot server reads; everything else belongs to the chart. */
const SERVER_SECTIONS = ['dhcp', 'tftp', 'http', 'proxy'] as const;

let chartDefaults: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;

/**
 * The chart's defaults of the server's sections, in the chart's own notation, read from the bundled
 * chart's values.yaml (on first use) so that the server and the chart cannot disagree.
 */
export function serverDefaults(): Readonly<Record<string, Readonly<Record<string, unknown>>>> {
  if (!chartDefaults) {
    const values = readChartDefaults(BUNDLED_CHART_DIRS.dhcp);
    chartDefaults = Object.fromEntries(
      SERVER_SECTIONS.map((section) => [section, (values[section] ?? {}) as Record<string, unknown>]),
    );
  }
  return chartDefaults;
}

export interface ServerFlags {
  inspectorCollectors?: string;
  inspectorExtraKernelParam?: string[];
  installerExtraKernelParam?: string[];
  callbackInsecureSkipVerify?: boolean;
  tftpBusyPoll?: string;
  tftpMaxTransfers?: string;
  tftpMaxTransfersPerClient?: string;
}

export interface Listen {
  host: string;
  port: number;
}

export interface BootServerConfig {
  dhcp: { serverIp: string; listen: Listen };
  /** Absent when `tftp.listenAddr` is "". */
  tftp: { listen: Listen; busyPollMicros: number; maxTransfers: number; maxTransfersPerClient: number } | undefined;
  http: { listen: Listen; advertiseUrl: string };
  proxy: { callbackListen: Listen; callbackAdvertiseUrl: string; ironicHttpUrl: string; ironicApiUrl: string };
  scripts: ScriptSettings;
  callbackInsecureSkipVerify: boolean;
}

export class BootServerConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `boot server configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'BootServerConfigError';
  }
}

type Tree = HelmValues;

/** `--tftp-busy-poll`: whole microseconds, at most 10 ms (a longer spin would only burn the core). */
function tftpBusyPoll(flag: string | undefined, problems: string[]): number {
  if (flag === undefined) return DEFAULT_TFTP_BUSY_POLL_MICROS;
  if (/^\d{1,5}$/.test(flag) && Number(flag) <= 10_000) return Number(flag);
  problems.push(`--tftp-busy-poll: "${flag}" is not a number of microseconds from 0 to 10000`);
  return 0;
}

function tftpTransferLimits(
  flags: ServerFlags,
  problems: string[],
): { maxTransfers: number; maxTransfersPerClient: number } {
  return {
    maxTransfers: parseTransferCount(
      '--tftp-max-transfers',
      flags.tftpMaxTransfers,
      DEFAULT_TFTP_MAX_TRANSFERS,
      problems,
    ),
    maxTransfersPerClient: parseTransferCount(
      '--tftp-max-transfers-per-client',
      flags.tftpMaxTransfersPerClient,
      DEFAULT_TFTP_MAX_TRANSFERS_PER_CLIENT,
      problems,
    ),
  };
}

/** `--set a.b=value` as Helm reads it (strings only; ports are parsed later). */
export function parseSet(assignment: string): Tree | undefined {
  const match = /^([A-Za-z][\w.]*)=(.*)$/s.exec(assignment);
  if (!match) return undefined;
  return valuesAtPath(match[1] ?? '', match[2]);
}

/** The subset of `tpl` the chart's defaults use: `{{ .Values.path }}`. */
function renderTpl(value: string, values: Tree, where: string, problems: string[]): string {
  return value.replace(/\{\{-?\s*\.Values\.([\w.]+)\s*-?\}\}/g, (_, path: string) => {
    const found = valueAtPath(values, path);
    if (typeof found === 'string' || typeof found === 'number') return String(found);
    problems.push(`${where}: {{ .Values.${path} }} has no value`);
    return '';
  });
}

/** Kubernetes `$(VAR)` expansion: `$$` escapes, an undefined variable stays as written. */
export function expandEnv(value: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string | undefined) =>
    name === undefined ? '$' : (env[name] ?? whole),
  );
}

function isIpv4(value: string): boolean {
  return Address4.isValid(value) && !value.includes('/');
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export interface ConfigInput {
  /** Parsed values documents, lowest precedence first. */
  values: readonly unknown[];
  /** `--set` assignments, applied after the documents. */
  sets: readonly string[];
  flags: ServerFlags;
  env: Readonly<Record<string, string | undefined>>;
}

/** Resolves and validates everything; throws one BootServerConfigError listing every problem. */
export function resolveBootServerConfig(input: ConfigInput): BootServerConfig {
  const problems: string[] = [];
  let merged: Tree = serverDefaults();
  input.values.forEach((document, i) => {
    if (document === null || document === undefined) return;
    if (isMapping(document)) merged = mergeValues(merged, document);
    else problems.push(`values document ${i + 1} is not a mapping`);
  });
  for (const assignment of input.sets) {
    const tree = parseSet(assignment);
    if (tree) merged = mergeValues(merged, tree);
    else problems.push(`--set "${assignment}" is not key.path=value`);
  }
  // The chart's own schema: what `helm install` and `validate` refuse, the server refuses too.
  const invalid = chartValuesProblems('dhcp', merged);
  if (invalid.length > 0) {
    for (const { path, message } of invalid) problems.push(`${formatPath(path) || 'values'}: ${message}`);
    throw new BootServerConfigError(problems);
  }

  const str = (path: string): string => {
    const raw = valueAtPath(merged, path);
    const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
    return expandEnv(renderTpl(text, merged, path, problems), input.env);
  };
  const listen = (path: string): Listen => {
    const value = str(path);
    const split = splitHostPort(value);
    if (!split || !isIpv4(split.host)) problems.push(`${path}: "${value}" is not IPv4-address:port (e.g. 0.0.0.0:67)`);
    return split ?? { host: '0.0.0.0', port: 0 };
  };
  const url = (path: string, required: boolean): string => {
    const value = str(path);
    if ((required || value !== '') && !isHttpUrl(value))
      problems.push(`${path}: "${value}" is not an http(s) URL${required ? '' : ' (leave it empty or set a URL)'}`);
    return value.replace(/\/+$/, '');
  };
  for (const path of ['dhcp.port', 'tftp.port', 'http.port', 'proxy.callbackPort']) {
    const value = str(path);
    if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535)
      problems.push(`${path}: "${value}" is not a port number (1-65535)`);
  }

  const serverIp = str('dhcp.serverIP');
  if (!isIpv4(serverIp) || serverIp === '0.0.0.0') {
    problems.push(
      `dhcp.serverIP: "${serverIp}" is not an IPv4 address${serverIp.includes('$(') ? '; set the environment variable or dhcp.serverIP' : ''}`,
    );
  }
  const tftpListen = str('tftp.listenAddr') === '' ? undefined : listen('tftp.listenAddr');
  const proxy = {
    callbackListen: listen('proxy.callbackListenAddr'),
    callbackAdvertiseUrl: url('proxy.callbackAdvertiseUrl', true),
    ironicHttpUrl: url('proxy.ironicHttpUrl', true),
    ironicApiUrl: url('proxy.ironicApiUrl', false),
  };
  const http = { listen: listen('http.listenAddr'), advertiseUrl: url('http.advertiseUrl', true) };
  const config: BootServerConfig = {
    dhcp: { serverIp, listen: listen('dhcp.listenAddr') },
    tftp: tftpListen
      ? {
          listen: tftpListen,
          busyPollMicros: tftpBusyPoll(input.flags.tftpBusyPoll, problems),
          ...tftpTransferLimits(input.flags, problems),
        }
      : undefined,
    http,
    proxy,
    scripts: {
      // The scripts fetch kernel and ramdisk through our HTTP server, which proxies them from Ironic.
      imagesUrl: http.advertiseUrl,
      callbackUrl: proxy.callbackAdvertiseUrl,
      inspectorCollectors: input.flags.inspectorCollectors ?? DEFAULT_INSPECTOR_COLLECTORS,
      inspectorExtraKernelParams: input.flags.inspectorExtraKernelParam ?? [],
      installerExtraKernelParams: input.flags.installerExtraKernelParam ?? [],
    },
    callbackInsecureSkipVerify: input.flags.callbackInsecureSkipVerify ?? false,
  };

  if (!/^[\w-]+(,[\w-]+)*$/.test(config.scripts.inspectorCollectors)) {
    problems.push(
      `--inspector-collectors: "${config.scripts.inspectorCollectors}" is not a comma-separated list of collector names`,
    );
  }
  for (const [flag, params] of [
    ['--inspector-extra-kernel-param', config.scripts.inspectorExtraKernelParams],
    ['--installer-extra-kernel-param', config.scripts.installerExtraKernelParams],
  ] as const) {
    for (const param of params) {
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
      if (param === '' || /[\s\0-\x1f]/.test(param))
        problems.push(`${flag}: "${param}" must be one kernel parameter without spaces or control characters`);
    }
  }
  if (problems.length > 0) throw new BootServerConfigError(problems);
  return config;
}
