import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { classifyApiError } from '../../../k8s/apiErrors.js';
import { describeStep, hostName, secretName, type RawObject, type Scenario, type Step } from './scenarios.js';
import { watchObjects, type ObjectWatch, type Observation } from './watchObjects.js';

const GROUP = 'metal3.io';
const VERSION = 'v1alpha1';

/** Objects BMO makes beside the host, by plural; recorded when the API server serves the kind. */
export const RELATED_KINDS: Record<string, string> = {
  hardwaredata: 'HardwareData',
  hostfirmwaresettings: 'HostFirmwareSettings',
  hostfirmwarecomponents: 'HostFirmwareComponents',
  hostupdatepolicies: 'HostUpdatePolicy',
  firmwareschemas: 'FirmwareSchema',
  preprovisioningimages: 'PreprovisioningImage',
  bmceventsubscriptions: 'BMCEventSubscription',
  dataimages: 'DataImage',
};

/** The controller moved on before a step that had to land in time did: the run says nothing; run again. */
export class ScenarioRaceError extends Error {
  override name = 'ScenarioRaceError';
}

/** Runs a scenario again (in the same namespace, its host removed first) while runs come out void. */
export async function runScenarioUntilValid(
  kubeConfig: KubeConfig,
  namespace: string,
  scenario: Scenario,
  options: { attempts: number; removeTimeoutMs: number; onProgress?: (line: string) => void },
): Promise<ScenarioRun> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runScenario(kubeConfig, namespace, scenario, options.onProgress);
    } catch (err) {
      if (!(err instanceof ScenarioRaceError) || attempt >= options.attempts) throw err;
      options.onProgress?.(`${scenario.name}: ${err.message}; running it again`);
      await removeScenarioHost(kubeConfig, namespace, scenario.name, options.removeTimeoutMs);
    }
  }
}

export interface ScenarioRun {
  scenario: Scenario;
  namespace: string;
  host: string;
  /** Every version of the host, its BMC Secret and related objects, in the order each watch saw them. */
  observations: Observation[];
}

/**
 * Runs one scenario in `namespace` (empty, of its own) and returns what was observed from the first
 * step to the end of the last. The host is left as the last step left it; see removeScenarioHost.
 */
export async function runScenario(
  kubeConfig: KubeConfig,
  namespace: string,
  scenario: Scenario,
  onProgress: (line: string) => void = () => undefined,
): Promise<ScenarioRun> {
  const host = hostName(scenario.name);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const observations: Observation[] = [];
  let latest: RawObject | undefined;
  let failure: unknown;
  let check: (() => void) | undefined;
  const onError = (err: unknown) => {
    failure ??= err;
    check?.();
  };

  const watches: ObjectWatch[] = [];
  const watch = async (kind: string, path: string, fieldSelector?: string) => {
    const listed = await listVersion(kubeConfig, path);
    const onEvent = (type: Observation['type'], object: RawObject) => {
      observations.push({ kind, type, object });
      if (kind === 'host') {
        latest = type === 'DELETED' ? undefined : object;
        check?.();
      }
    };
    watches.push(await watchObjects(kubeConfig, path, { resourceVersion: listed, fieldSelector }, onEvent, onError));
  };
  try {
    await watch('host', `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/baremetalhosts`, `metadata.name=${host}`);
    await watch('secret', `/api/v1/namespaces/${namespace}/secrets`, `metadata.name=${secretName(host)}`);
    for (const [plural, kind] of Object.entries(RELATED_KINDS)) {
      const path = `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${plural}`;
      if (await served(kubeConfig, path)) await watch(kind, path);
    }

    for (const step of scenario.steps) {
      onProgress(`${scenario.name}: ${describeStep(step)}`);
      if (step.do === 'waitFor') {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            check = undefined;
            reject(
              new Error(`${scenario.name}: no ${step.what} within ${step.timeoutMs} ms; last: ${summary(latest)}`),
            );
          }, step.timeoutMs);
          check = () => {
            if (failure === undefined && !step.until(latest)) return;
            clearTimeout(timer);
            check = undefined;
            if (failure === undefined) resolve();
            else reject(failure instanceof Error ? failure : new Error(JSON.stringify(failure)));
          };
          check();
        });
      } else {
        await act(step, { custom, core, namespace, host });
      }
    }
    return { scenario, namespace, host, observations };
  } finally {
    for (const w of watches) w.stop();
  }
}

async function act(
  step: Exclude<Step, { do: 'waitFor' }>,
  { custom, core, namespace, host }: { custom: CustomObjectsApi; core: CoreV1Api; namespace: string; host: string },
): Promise<void> {
  const where = { group: GROUP, version: VERSION, namespace, plural: 'baremetalhosts' };
  const createSecret = () =>
    core.createNamespacedSecret({
      namespace,
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secretName(host), namespace },
        type: 'Opaque',
        stringData: { username: 'admin', password: 'conformance' },
      },
    });
  switch (step.do) {
    case 'create': {
      if (step.withSecret) await createSecret();
      const bmc = { ...(step.spec.bmc as object), credentialsName: secretName(host) };
      const body = {
        apiVersion: `${GROUP}/${VERSION}`,
        kind: 'BareMetalHost',
        metadata: { name: host, namespace },
        spec: { ...step.spec, bmc },
      };
      await custom.createNamespacedCustomObject({ ...where, body });
      return;
    }
    case 'createSecret':
      await createSecret();
      return;
    case 'patchSpec': {
      const patched = (await custom.patchNamespacedCustomObject(
        { ...where, name: host, body: { spec: step.spec } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )) as RawObject;
      const state = (patched.status?.provisioning as { state?: string } | undefined)?.state;
      if (step.whileState !== undefined && state !== step.whileState) {
        throw new ScenarioRaceError(`the patch landed in state ${String(state)}, not ${step.whileState}`);
      }
      return;
    }
    case 'delete':
      await custom.deleteNamespacedCustomObject({ ...where, name: host });
      return;
  }
}

/**
 * Deletes the scenario's host and BMC Secret and waits until both are gone. Their finalizers are
 * removed by the controller under test; when it has not done so within `timeoutMs` (stopped, or
 * stuck), they are stripped here so that cleanup always ends.
 */
export async function removeScenarioHost(
  kubeConfig: KubeConfig,
  namespace: string,
  scenario: string,
  timeoutMs: number,
): Promise<{ finalizersStripped: boolean }> {
  const host = hostName(scenario);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const where = { group: GROUP, version: VERSION, namespace, plural: 'baremetalhosts', name: host };
  const secret = { namespace, name: secretName(host) };
  const ignoreGone = (err: unknown) => {
    if (classifyApiError(err).kind !== 'notFound') throw err;
  };
  await custom.deleteNamespacedCustomObject(where).catch(ignoreGone);
  await core.deleteNamespacedSecret(secret).catch(ignoreGone);
  const exists = async () => {
    const found = await Promise.all([
      custom.getNamespacedCustomObject(where).then(() => true, ignoreGoneFalse),
      core.readNamespacedSecret(secret).then(() => true, ignoreGoneFalse),
    ]);
    return found.some(Boolean);
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await exists())) return { finalizersStripped: false };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const strip = { body: { metadata: { finalizers: null } } };
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  await custom.patchNamespacedCustomObject({ ...where, ...strip }, merge).catch(ignoreGone);
  await core.patchNamespacedSecret({ ...secret, ...strip }, merge).catch(ignoreGone);
  return { finalizersStripped: true };
}

function ignoreGoneFalse(err: unknown): boolean {
  if (classifyApiError(err).kind === 'notFound') return false;
  throw err;
}

async function served(kubeConfig: KubeConfig, path: string): Promise<boolean> {
  try {
    await listVersion(kubeConfig, path);
    return true;
  } catch (err) {
    if (classifyApiError(err).kind === 'notFound') return false;
    throw err;
  }
}

/** The resourceVersion of a list at `path`, where a watch starts without missing anything. */
async function listVersion(kubeConfig: KubeConfig, path: string): Promise<string> {
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const parts = path.split('/');
  const namespace = parts[parts.indexOf('namespaces') + 1] ?? '';
  const list = (
    path.startsWith('/api/v1/')
      ? await core.listNamespacedSecret({ namespace, limit: 1 })
      : await custom.listNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural: parts.at(-1) ?? '',
          limit: 1,
        })
  ) as { metadata?: { resourceVersion?: string } };
  return list.metadata?.resourceVersion ?? '';
}

function summary(host: RawObject | undefined): string {
  if (!host) return 'no host';
  return JSON.stringify({ finalizers: host.metadata?.finalizers, status: host.status });
}
