/** Helm's toYaml / fromYaml. Placeholder emitter; replaced by a yaml.v2-compatible emitter. */
import { parse } from 'yaml';
import { marshalJSON } from './json.js';

export function toYaml(v: unknown): string {
  try {
    return marshalJSON(v);
  } catch {
    return '';
  }
}

export function fromYaml(s: string): Record<string, unknown> {
  try {
    const v: unknown = parse(s);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch (e) {
    return { Error: (e as Error).message };
  }
}
