import type { ConfigIssue } from '../issues.js';
import { BUNDLED_CHART_DIRS, readChartSchema } from './bundledCharts.js';
import { schemaProblems, type JsonSchema } from './jsonSchema.js';

type Component = keyof typeof BUNDLED_CHART_DIRS;

const schemas = new Map<Component, JsonSchema>();

/**
 * Every bundled chart (Metal3, DHCP server, Multus) carries a values.schema.json; read on first use, so
 * that importing the API types reads no file.
 */
function schemaOf(component: Component): JsonSchema {
  let schema = schemas.get(component);
  if (!schema) {
    schema = readChartSchema(BUNDLED_CHART_DIRS[component]);
    schemas.set(component, schema);
  }
  return schema;
}

/** Problems of `values` against the schema of the component's bundled chart, each at its path in the values. */
export function chartValuesProblems(component: Component, values: unknown): ConfigIssue[] {
  return schemaProblems(schemaOf(component), values);
}
