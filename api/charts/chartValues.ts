import type { ConfigIssue } from '../issues.js';
import { BUNDLED_CHART_DIRS, readChartSchema } from './bundledCharts.js';
import { schemaProblems, type JsonSchema } from './jsonSchema.js';

type Component = keyof typeof BUNDLED_CHART_DIRS;

/**
 * The bundled charts that carry a values.schema.json (only the DHCP server's; the Metal3 and Multus
 * charts have none, so any values reach them as the spec's raw YAML).
 */
const CHARTS_WITH_SCHEMA: readonly Component[] = ['dhcp'];

const schemas = new Map<Component, JsonSchema>();

/** Read on first use, so that importing the API types reads no file. */
function schemaOf(component: Component): JsonSchema | undefined {
  if (!CHARTS_WITH_SCHEMA.includes(component)) return undefined;
  let schema = schemas.get(component);
  if (!schema) {
    schema = readChartSchema(BUNDLED_CHART_DIRS[component]);
    schemas.set(component, schema);
  }
  return schema;
}

/**
 * Problems of `values` against the schema of the component's bundled chart, each at its path in the
 * values; none for a chart without a schema.
 */
export function chartValuesProblems(component: Component, values: unknown): ConfigIssue[] {
  const schema = schemaOf(component);
  return schema ? schemaProblems(schema, values) : [];
}
