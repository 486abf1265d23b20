import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../devstack/freePort.js';

/**
 * Debian's Ironic (ironic-api and ironic-conductor, as packaged for bookworm) run as child processes
 * on loopback: SQLite, no authentication, JSON-RPC between API and conductor, the fake-hardware type
 * with fake power and management but the real iPXE boot and direct (agent) deploy interfaces, so the
 * conductor really prepares the agent's boot and really talks to an agent. Everything lives in one
 * temporary directory, logs included.
 *
 * Ironic's HTTP server (httpd in Metal3's Ironic image) is not part of Debian's packages: a plain
 * static server (busybox httpd) serves the conductor's `[deploy] http_root` in its place.
 */

/** The commands this needs; scripts/install-system-packages.sh installs all of them. */
const COMMANDS = ['ironic-api', 'ironic-conductor', 'ironic-dbsync', 'busybox'] as const;

/** Microversion for the admin calls made here (Zed's newest; later releases accept it too). */
export const ADMIN_API_VERSION = '1.82';

const run = promisify(execFile);

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Throws, saying what to run, when Ironic or the static server is not installed: never a silent skip. */
export function requireIronicInstalled(): void {
  const missing = COMMANDS.filter((command) => !onPath(command));
  if (missing.length > 0) {
    throw new Error(
      `real Ironic test: ${missing.join(', ')} not found on PATH; run scripts/install-system-packages.sh as root ` +
        '(it installs Debian’s ironic-api and ironic-conductor without starting them)',
    );
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Ports {
  api: number;
  jsonRpc: number;
  http: number;
}

function ironicConf(dir: string, ports: Ports): string {
  const at = (name: string): string => path.join(dir, name);
  return `[DEFAULT]
auth_strategy = noauth
rpc_transport = json-rpc
# The API reaches a conductor by the conductor's host name over JSON-RPC: the name is the address.
host = 127.0.0.1
my_ip = 127.0.0.1
enabled_hardware_types = fake-hardware
enabled_boot_interfaces = ipxe
enabled_deploy_interfaces = direct
enabled_management_interfaces = fake
enabled_power_interfaces = fake
enabled_bios_interfaces = no-bios
enabled_console_interfaces = no-console
enabled_inspect_interfaces = no-inspect
enabled_network_interfaces = noop
enabled_raid_interfaces = no-raid
enabled_rescue_interfaces = no-rescue
enabled_storage_interfaces = noop
enabled_vendor_interfaces = no-vendor
state_path = ${dir}
tempdir = ${at('tmp')}
use_stderr = false
graceful_shutdown_timeout = 5

[api]
host_ip = 127.0.0.1
port = ${ports.api}
api_workers = 1

[json_rpc]
auth_strategy = noauth
host_ip = 127.0.0.1
port = ${ports.jsonRpc}

[database]
connection = sqlite:///${at('ironic.sqlite')}

[conductor]
# Metal3's default: provide cleans, which boots the agent and waits for it ("clean wait").
automated_clean = true

[deploy]
http_root = ${at('httpboot')}
http_url = http://127.0.0.1:${ports.http}
iso_master_path = ${at('master_iso_images')}

[pxe]
tftp_root = ${at('tftpboot')}
tftp_master_path = ${at('tftpboot/master_images')}
images_path = ${at('images')}
instance_master_path = ${at('master_images')}

[agent]
certificates_path = ${at('certificates')}
deploy_logs_local_path = ${at('deploy-logs')}
deploy_logs_collect = never

[dhcp]
dhcp_provider = none

[service_catalog]
# The API URL written into the agent's kernel command line; without Keystone it must be given.
endpoint_override = http://127.0.0.1:${ports.api}

[oslo_concurrency]
lock_path = ${at('locks')}
`;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface IronicNode {
  uuid: string;
  name: string;
  provision_state: string;
  last_error: string | null;
  driver_internal_info: Record<string, unknown>;
}

export class RealIronic {
  /** Bytes of the agent kernel and ramdisk under `http_root/images/`, where Metal3's Ironic keeps them. */
  readonly agentKernel = randomBytes(300_000);
  readonly agentRamdisk = randomBytes(200_000);
  private readonly children = new Map<string, ChildProcess>();
  /** Why a command could not be started at all (spawn errors), by process name. */
  private readonly spawnErrors = new Map<string, Error>();
  private readonly killAll = (): void => {
    for (const child of this.children.values()) signalGroup(child, 'SIGKILL');
  };

  private constructor(
    readonly dir: string,
    private readonly ports: Ports,
  ) {}

  get apiUrl(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  /** The static server over `http_root` (Ironic's `[deploy] http_url`). */
  get httpUrl(): string {
    return `http://127.0.0.1:${this.ports.http}`;
  }

  get httpRoot(): string {
    return path.join(this.dir, 'httpboot');
  }

  /** Starts the static server, creates the schema, starts conductor and API, and waits until both serve. */
  static async start(): Promise<RealIronic> {
    requireIronicInstalled();
    const dir = mkdtempSync(path.join(tmpdir(), 'real-ironic-'));
    const ironic = new RealIronic(dir, { api: await freePort(), jsonRpc: await freePort(), http: await freePort() });
    process.once('exit', ironic.killAll);
    try {
      await ironic.prepare();
      return ironic;
    } catch (error) {
      await ironic.stop();
      throw error;
    }
  }

  private async prepare(): Promise<void> {
    for (const sub of ['tmp', 'httpboot/images', 'tftpboot', 'locks'])
      mkdirSync(path.join(this.dir, sub), { recursive: true });
    const conf = path.join(this.dir, 'ironic.conf');
    await writeFile(conf, ironicConf(this.dir, this.ports));
    await writeFile(path.join(this.httpRoot, 'images/ironic-python-agent.kernel'), this.agentKernel);
    await writeFile(path.join(this.httpRoot, 'images/ironic-python-agent.initramfs'), this.agentRamdisk);
    this.spawn('httpd', 'busybox', ['httpd', '-f', '-p', `127.0.0.1:${this.ports.http}`, '-h', this.httpRoot]);
    await run('ironic-dbsync', ['--config-file', conf, 'create_schema'], { cwd: this.dir, timeout: 120_000 });
    this.spawn('conductor', 'ironic-conductor', ['--config-file', conf, '--log-file', this.logPath('conductor')]);
    this.spawn('api', 'ironic-api', ['--config-file', conf, '--log-file', this.logPath('api')]);
    // Up when the API answers and the conductor has registered the fake-hardware type.
    const deadline = Date.now() + 180_000;
    for (;;) {
      const failed = [...this.spawnErrors].at(0);
      if (failed) throw new Error(`${failed[0]} could not be started: ${failed[1].message}`);
      const exited = [...this.children].find(([, child]) => child.exitCode !== null || child.signalCode !== null);
      if (exited) throw new Error(`${exited[0]} exited while starting:\n${this.logTail(exited[0])}`);
      const drivers = await this.api('GET', '/v1/drivers').catch(() => undefined);
      const listed = (drivers?.body as { drivers?: { name: string; hosts: string[] }[] } | undefined)?.drivers;
      if (listed?.some((driver) => driver.name === 'fake-hardware' && driver.hosts.length > 0)) return;
      if (Date.now() > deadline)
        throw new Error(`Ironic did not come up in 180 s:\n${this.logTail('api')}\n${this.logTail('conductor')}`);
      await sleep(250);
    }
  }

  private spawn(name: string, command: string, args: string[]): void {
    const out = openSync(path.join(this.dir, `${name}.out`), 'a');
    // Its own process group, so that stopping it also stops the workers it forks.
    const child = spawn(command, args, { cwd: this.dir, detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    child.on('error', (error) => this.spawnErrors.set(name, error));
    this.children.set(name, child);
  }

  logPath(name: 'api' | 'conductor'): string {
    return path.join(this.dir, `${name}.log`);
  }

  /** The API's log: one access line per request it served ("GET /v1/... HTTP/1.1" status: 200). */
  apiLog(): string {
    return readText(this.logPath('api'));
  }

  /** The end of a process's log and its stdout/stderr, for error messages. */
  logTail(name: string, lines = 40): string {
    const log = name === 'api' || name === 'conductor' ? readText(this.logPath(name)) : '';
    const text = `${log}${readText(path.join(this.dir, `${name}.out`))}`;
    return `--- ${name}\n${text.split('\n').slice(-lines).join('\n')}`;
  }

  /** One admin call straight to the API (not through any proxy). */
  async api(method: string, pathAndQuery: string, body?: unknown): Promise<ApiAnswer> {
    const res = await fetch(`${this.apiUrl}${pathAndQuery}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-openstack-ironic-api-version': ADMIN_API_VERSION },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  private async expectApi(method: string, pathAndQuery: string, status: number, body?: unknown): Promise<unknown> {
    const answer = await this.api(method, pathAndQuery, body);
    if (answer.status !== status)
      throw new Error(`${method} ${pathAndQuery}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async node(uuid: string): Promise<IronicNode> {
    return (await this.expectApi('GET', `/v1/nodes/${uuid}`, 200)) as IronicNode;
  }

  /**
   * Enrolls a node with one port and brings it to "clean wait": the conductor has fetched the agent
   * kernel and ramdisk into `http_root`, written the node's iPXE config, "powered it on" (fake) and
   * now waits for the agent. That is where a Metal3 host is when its agent looks up, and lookup is
   * only answered in such waiting states (`[api] restrict_lookup` stays on, Ironic's real check).
   */
  async cleanWaitNode(name: string, mac: string): Promise<IronicNode> {
    const created = (await this.expectApi('POST', '/v1/nodes', 201, {
      name,
      driver: 'fake-hardware',
      boot_interface: 'ipxe',
      deploy_interface: 'direct',
      driver_info: {
        deploy_kernel: `${this.httpUrl}/images/ironic-python-agent.kernel`,
        deploy_ramdisk: `${this.httpUrl}/images/ironic-python-agent.initramfs`,
      },
    })) as IronicNode;
    await this.expectApi('POST', '/v1/ports', 201, { node_uuid: created.uuid, address: mac });
    await this.expectApi('PUT', `/v1/nodes/${created.uuid}/states/provision`, 202, { target: 'manage' });
    await this.waitForProvisionState(created.uuid, 'manageable');
    await this.expectApi('PUT', `/v1/nodes/${created.uuid}/states/provision`, 202, { target: 'provide' });
    return this.waitForProvisionState(created.uuid, 'clean wait');
  }

  /** Polls until the node rests in `state`; a failed state or the timeout ends the wait with Ironic's error. */
  async waitForProvisionState(uuid: string, state: string, timeoutMs = 60_000): Promise<IronicNode> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const node = await this.node(uuid);
      if (node.provision_state === state) return node;
      if (node.provision_state.endsWith('failed') || Date.now() > deadline) {
        throw new Error(
          `node ${uuid} is "${node.provision_state}", not "${state}": ${node.last_error ?? 'no error recorded'}`,
        );
      }
      await sleep(250);
    }
  }

  /** Stops every process (the group, so forked workers too) and removes the directory. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.children.values()].map(async (child) => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((resolve) =>
            child.once('exit', () => {
              resolve();
            }),
          );
          signalGroup(child, 'SIGTERM');
          await Promise.race([exited, sleep(15_000)]);
        }
        signalGroup(child, 'SIGKILL');
      }),
    );
    this.children.clear();
    process.off('exit', this.killAll);
    // REAL_IRONIC_KEEP=1 keeps configuration, database and logs for a look after a failure.
    if (process.env.REAL_IRONIC_KEEP === '1') process.stderr.write(`real Ironic: kept ${this.dir}\n`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
