import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { INSTALL_ROOT } from '../installRoot.js';
import { assertSupported, type JsonSchema } from './jsonSchema.js';

/** The chart directory shipped with the provider for each component it deploys. */
export const BUNDLED_CHART_DIRS = {
  multus: 'multus',
  metal3: 'metal3',
  dhcp: 'metal3-provider-dhcp-server',
} as const;

/** `charts/` beside package.json, in the sources and in the image alike. */
export const BUNDLED_CHARTS_DIR = join(INSTALL_ROOT, 'charts');

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
