import { BUNDLED_CHART_DIRS, readChartDefaults } from '../../api/charts/bundledCharts.js';
import { isMapping, mergeValues, valueAtPath, valuesAtPath, type HelmValues } from '../../api/charts/helmValues.js';
import { parseYamlMapping } from '../../api/properties/documents.js';
import { PropertyValueError } from '../../api/properties/values.js';
import type { InfraComponent, ReleaseRequest } from '../../contracts/infraContract.js';
import { ironicUrls } from './ironicEndpoints.js';

export type Values = HelmValues;

/**
 * The values the provider documentation lists a default for, per component ("Chart app version" and
 * "Provider namespace" are derived, so not listed). The bundled charts carry those defaults, but a
 * chart from another repository or version may not, so they are always passed.
 */
const SPEC_DEFAULT_KEYS: Record<InfraComponent, readonly string[]> = {
  metal3: [
    'ironic.image.repository',
    'ironic.image.tag',
    'ipaDownloader.image.repository',
    'ipaDownloader.image.tag',
    'bareMetalOperator.image.repository',
    'bareMetalOperator.image.tag',
  ],
  dhcp: ['image.registry', 'image.repository', 'image.pullPolicy'],
  multus: ['image.registry', 'image.repository', 'image.tag'],
};

/** The values at `paths` (dotted) of `values`, in the same nesting. */
function pick(values: Values, paths: readonly string[]): Values {
  let picked: Values = {};
  for (const path of paths) {
    const value = valueAtPath(values, path);
    if (value === undefined) throw new Error(`the bundled chart has no default for ${path}`);
    picked = mergeValues(picked, valuesAtPath(path, value));
  }
  return picked;
}

/** Those defaults, read from the bundled charts' values.yaml rather than copied into code. */
export const SPEC_DEFAULTS = Object.fromEntries(
  (Object.keys(SPEC_DEFAULT_KEYS) as InfraComponent[]).map((component) => [
    component,
    pick(readChartDefaults(BUNDLED_CHART_DIRS[component]), SPEC_DEFAULT_KEYS[component]),
  ]),
) as Record<InfraComponent, Values>;

/** The user's `helmValues` cannot be used; says which component and why. */
export class InvalidHelmValuesError extends Error {
  constructor(component: InfraComponent, reason: string) {
    super(`spec.metal3.deploy.${component}.helmValues ${reason}`);
    this.name = 'InvalidHelmValuesError';
  }
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
