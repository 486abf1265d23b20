/**
 * The host scenarios of the BMO conformance check. The same list runs against a real Bare Metal
 * Operator (`npm run record-bmo`, which writes test/fixtures/bmo/) and against the simulator
 * (test/integration/sim/bmoConformance.test.ts, which compares with those recordings).
 *
 * A scenario is a list of steps on one host: actions (create the BMC Secret and the host, patch the
 * spec, delete) and waits (until a condition holds, within a bound). Waits end at the first watched
 * version of the host that meets them, so what is recorded does not depend on how fast either side is.
 */

export type RawObject = Record<string, unknown> & {
  metadata?: Record<string, unknown>;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

export type Step =
  /** Creates the host with this spec, and first its BMC Secret unless `withSecret` is false. */
  | { do: 'create'; withSecret: boolean; spec: Record<string, unknown> }
  | { do: 'createSecret' }
  /**
   * A JSON merge patch of the host's spec (`null` removes a field). With `whileState`, the patch
   * must land while the host is still in that state, else the run is void (ScenarioRaceError).
   */
  | { do: 'patchSpec'; spec: Record<string, unknown>; whileState?: string }
  | { do: 'delete' }
  /** Waits until `until` holds for the latest version of the host (undefined once it is gone). */
  | { do: 'waitFor'; what: string; until: (host: RawObject | undefined) => boolean; timeoutMs: number };

export interface Scenario {
  name: string;
  description: string;
  steps: Step[];
}

/** Bounds for BMO in test mode, whose fixture provisioner takes about 10 s per provisioning step. */
const WAIT_MS = 180_000;

export const IMAGE = {
  url: 'http://images.example.invalid/ubuntu-noble.qcow2',
  checksum: 'http://images.example.invalid/ubuntu-noble.qcow2.sha256sum',
  checksumType: 'sha256',
  format: 'qcow2',
};
export const OTHER_IMAGE = { ...IMAGE, url: 'http://images.example.invalid/ubuntu-plucky.qcow2' };

/** Every scenario's host is named after the scenario; its Secret is `<host>-bmc`. */
export function hostName(scenario: string): string {
  return `conf-${scenario}`;
}

export function secretName(host: string): string {
  return `${host}-bmc`;
}

const state = (host: RawObject | undefined): string | undefined =>
  (host?.status?.provisioning as { state?: string } | undefined)?.state;
const poweredOn = (host: RawObject | undefined): boolean | undefined => host?.status?.poweredOn as boolean | undefined;
const imageUrl = (host: RawObject | undefined): string | undefined =>
  ((host?.status?.provisioning as { image?: { url?: string } } | undefined)?.image ?? {}).url;
const errorCount = (host: RawObject | undefined): number => (host?.status?.errorCount as number | undefined) ?? 0;

function create(withSecret = true): Step {
  return {
    do: 'create',
    withSecret,
    spec: {
      // The runner adds bmc.credentialsName: the host's Secret.
      bmc: { address: 'redfish+http://bmc.example.invalid/redfish/v1/Systems/1' },
      bootMACAddress: '02:00:00:00:c0:01',
      online: false,
    },
  };
}

function waitState(wanted: string, extra?: { what: string; test: (host: RawObject) => boolean }): Step {
  return {
    do: 'waitFor',
    what: `state ${wanted}${extra ? ` and ${extra.what}` : ''}`,
    until: (host) => host !== undefined && state(host) === wanted && (extra?.test(host) ?? true),
    timeoutMs: WAIT_MS,
  };
}

const waitGone: Step = { do: 'waitFor', what: 'host gone', until: (host) => host === undefined, timeoutMs: WAIT_MS };

/** From nothing to a provisioned host that reports power on. */
const provisioned: Step[] = [
  create(),
  waitState('available'),
  { do: 'patchSpec', spec: { image: IMAGE, online: true } },
  waitState('provisioned', { what: 'powered on', test: (h) => poweredOn(h) === true }),
];

export const SCENARIOS: Scenario[] = [
  {
    name: 'register',
    description: 'a new host with a BMC Secret is registered, inspected and becomes available',
    steps: [create(), waitState('available')],
  },
  {
    name: 'provision',
    description: 'an available host is given an image and online: true, and is provisioned and powered on',
    steps: provisioned,
  },
  {
    name: 'release',
    description: 'a provisioned host loses its image and online, is deprovisioned and becomes available, off',
    steps: [
      ...provisioned,
      { do: 'patchSpec', spec: { image: null, online: false } },
      waitState('available', { what: 'powered off', test: (h) => poweredOn(h) === false }),
    ],
  },
  {
    name: 'release-while-provisioning',
    description: 'a host loses its image while it is provisioning, is deprovisioned and becomes available',
    steps: [
      create(),
      waitState('available'),
      { do: 'patchSpec', spec: { image: IMAGE, online: true } },
      waitState('provisioning'),
      { do: 'patchSpec', spec: { image: null, online: false }, whileState: 'provisioning' },
      waitState('available', { what: 'powered off', test: (h) => poweredOn(h) === false }),
    ],
  },
  {
    name: 'delete-provisioned',
    description: 'a provisioned host is deleted: deprovisioned, powered off, deleted, its finalizers removed',
    steps: [...provisioned, { do: 'delete' }, waitGone],
  },
  {
    name: 'registration-error',
    description: 'a host whose BMC Secret does not exist fails registration until the Secret is created',
    steps: [
      create(false),
      {
        do: 'waitFor',
        what: 'errorCount 2',
        until: (host) => errorCount(host) >= 2,
        timeoutMs: WAIT_MS,
      },
      { do: 'createSecret' },
      waitState('available'),
    ],
  },
  {
    name: 'delete-registration-error',
    description: 'a host that fails registration (no BMC Secret) is deleted',
    steps: [
      create(false),
      // A second failure, not the first: BMO may count the first failure twice in quick succession.
      { do: 'waitFor', what: 'errorCount 2', until: (host) => errorCount(host) >= 2, timeoutMs: WAIT_MS },
      { do: 'delete' },
      waitGone,
    ],
  },
  {
    name: 'power-off',
    description: 'a provisioned host is set online: false and powers off, staying provisioned',
    steps: [
      ...provisioned,
      { do: 'patchSpec', spec: { online: false } },
      waitState('provisioned', { what: 'powered off', test: (h) => poweredOn(h) === false }),
    ],
  },
  {
    name: 'image-change',
    description: 'a provisioned host is given another image: deprovisioned, then provisioned with the new image',
    steps: [
      ...provisioned,
      { do: 'patchSpec', spec: { image: OTHER_IMAGE } },
      waitState('provisioned', {
        what: 'the new image, powered on',
        test: (h) => imageUrl(h) === OTHER_IMAGE.url && poweredOn(h) === true,
      }),
    ],
  },
];

/** The steps in words, for the recordings and for failure messages. */
export function describeStep(step: Step): string {
  switch (step.do) {
    case 'create':
      return `create the host (${JSON.stringify(step.spec)})${step.withSecret ? ' and its BMC Secret' : ', no BMC Secret'}`;
    case 'createSecret':
      return 'create the BMC Secret';
    case 'patchSpec':
      return `patch spec ${JSON.stringify(step.spec)}${step.whileState ? ` while ${step.whileState}` : ''}`;
    case 'delete':
      return 'delete the host';
    case 'waitFor':
      return `wait for ${step.what}`;
  }
}
