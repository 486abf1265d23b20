import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { assertSupported, type JsonSchema } from './jsonSchema.js';

/** The chart directory shipped with the provider for each component it deploys. */
export const BUNDLED_CHART_DIRS = {
  multus: 'multus',
  metal3: 'metal3',
  dhcp: 'metal3-provider-dhcp-server',
} as const;

/**
 * `charts/` beside package.json: two folders up from this file in the sources, three from the
 * compiled `dist/` (the image ships charts/ next to package.json too).
 */
export const BUNDLED_CHARTS_DIR = join(
  [2, 3]
    .map((up) => resolve(fileURLToPath(new URL('.', import.meta.url)), ...Array<string>(up).fill('..')))
    .find((dir) => existsSync(join(dir, 'package.json'))) ?? resolve(fileURLToPath(new URL('../..', import.meta.url))),
  'charts',
);

/** A bundled chart's values.yaml: its defaults, read from the chart rather than copied into code. */
export function readChartDefaults(chart: string): Record<string, unknown> {
  return parseYaml(readFileSync(join(BUNDLED_CHARTS_DIR, chart, 'values.yaml'), 'utf8')) as Record<string, unknown>;
}

/** A bundled chart's values.schema.json, the one Helm checks values against. */
export function readChartSchema(chart: string): JsonSchema {
  const file = join(BUNDLED_CHARTS_DIR, chart, 'values.schema.json');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
  assertSupported(schema, `${chart}/values.schema.json`);
  return schema;
}
