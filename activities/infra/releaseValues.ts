import { parseYamlMapping } from '../../api/properties/documents.js';
import { PropertyValueError } from '../../api/properties/values.js';
import type { InfraComponent, ReleaseRequest } from '../../workflows/infraContract.js';
import { ironicUrls } from './ironicEndpoints.js';

export type Values = Record<string, unknown>;

/**
 * The defaults the provider documentation lists for each component's Helm values. The bundled charts
 * carry the same, but a chart from another repository or version may not, so they are always passed.
 * Defaults the documentation derives ("Chart app version", "Provider namespace") are not listed here.
 */
export const SPEC_DEFAULTS: Record<InfraComponent, Values> = {
  metal3: {
    ironic: { image: { repository: 'quay.io/metal3-io/ironic', tag: 'release-32.0' } },
    ipaDownloader: { image: { repository: 'quay.io/metal3-io/ironic-ipa-downloader', tag: 'latest' } },
    bareMetalOperator: { image: { repository: 'quay.io/metal3-io/baremetal-operator', tag: 'v0.12.0' } },
  },
  dhcp: {
    image: { registry: 'ghcr.io', repository: 'loft-sh/vcluster-platform-dhcp-server', pullPolicy: 'Always' },
  },
  multus: {
    image: { registry: 'ghcr.io', repository: 'k8snetworkplumbingwg/multus-cni', tag: 'snapshot-thick' },
  },
};

/** The user's `helmValues` cannot be used; says which component and why. */
export class InvalidHelmValuesError extends Error {
  constructor(component: InfraComponent, reason: string) {
    super(`spec.metal3.deploy.${component}.helmValues ${reason}`);
    this.name = 'InvalidHelmValuesError';
  }
}

function isMapping(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Helm's coalescing: mappings merge key by key, anything else (lists, scalars, null) replaces. */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isMapping(current) && isMapping(value) ? mergeValues(current, value) : value;
  }
  return out;
}

function parseHelmValues(component: InfraComponent, text: string | undefined): Values {
  if (text === undefined) return {};
  try {
    return parseYamlMapping(text);
  } catch (error) {
    if (!(error instanceof PropertyValueError)) throw error;
    throw new InvalidHelmValuesError(component, error.message);
  }
}

/**
 * Spec defaults, under the values the provider computes (Multus namespace, Ironic URLs), under the
 * user's `helmValues`: the user wins.
 */
export function releaseValues(
  request: Pick<ReleaseRequest, 'component' | 'helmValues' | 'computedValues' | 'ironicFrom'>,
): Values {
  const user = parseHelmValues(request.component, request.helmValues);
  const { ironicFrom } = request;
  const computed = ironicFrom
    ? mergeValues(request.computedValues, {
        proxy: ironicUrls(
          ironicFrom.release,
          ironicFrom.namespace,
          parseHelmValues('metal3', ironicFrom.metal3HelmValues),
        ),
      })
    : request.computedValues;
  return mergeValues(mergeValues(SPEC_DEFAULTS[request.component], computed), user);
}

/** Deep equality of two JSON values, key order ignored: decides whether a release needs an upgrade. */
export function sameValues(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValues(x, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameValues(a[key], b[key]));
  }
  return a === b;
}
