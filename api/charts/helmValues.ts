/**
 * Helm values as Helm handles them, for every place that merges or reads chart values: the boot
 * worker's releases (`activities/infra/releaseValues.ts`), `boot-server`'s configuration
 * (`dhcp/config/bootServerConfig.ts`) and `validate` (`chartValues.ts`).
 */
export type HelmValues = Record<string, unknown>;

/** A YAML mapping (not a list, not null). */
export function isMapping(value: unknown): value is HelmValues {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Helm's coalescing: mappings merge key by key, anything else (lists, scalars, null) replaces. */
export function mergeValues(base: HelmValues, over: HelmValues): HelmValues {
  const out: HelmValues = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isMapping(current) && isMapping(value) ? mergeValues(current, value) : value;
  }
  return out;
}

/** The value at a dotted path (`image.tag`), or undefined where the path leaves the mappings. */
export function valueAtPath(values: HelmValues, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (isMapping(node) ? node[key] : undefined), values);
}

/** `value` nested under a dotted path: `image.tag`, `v` gives `{ image: { tag: v } }`. */
export function valuesAtPath(path: string, value: unknown): HelmValues {
  return path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as HelmValues;
}
