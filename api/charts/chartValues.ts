import type { ConfigIssue } from '../issues.js';
import { BUNDLED_CHART_DIRS, readChartDefaults, readChartSchema } from './bundledCharts.js';
import { isMapping } from './helmValues.js';
import { schemaProblems, type JsonSchema } from './jsonSchema.js';

type Component = keyof typeof BUNDLED_CHART_DIRS;

interface Chart {
  schema: JsonSchema;
  defaults: Record<string, unknown>;
}

const charts = new Map<Component, Chart>();

/**
 * Every bundled chart (Metal3, DHCP server, Multus) carries a values.schema.json; read on first use, so
 * that importing the API types reads no file.
 */
function chartOf(component: Component): Chart {
  let chart = charts.get(component);
  if (!chart) {
    const dir = BUNDLED_CHART_DIRS[component];
    chart = { schema: readChartSchema(dir), defaults: readChartDefaults(dir) };
    charts.set(component, chart);
  }
  return chart;
}

/**
 * The values without the keys set to null that the chart has a default for: Helm deletes those
 * (null is how a user removes a default, e.g. Multus' tolerations) before it checks the schema.
 */
function withoutRemovedDefaults(values: unknown, defaults: unknown): unknown {
  if (!isMapping(values) || !isMapping(defaults)) return values;
  return Object.fromEntries(
    Object.entries(values)
      .filter(([key, value]) => !(value === null && key in defaults))
      .map(([key, value]) => [key, withoutRemovedDefaults(value, defaults[key])]),
  );
}

/** Problems of `values` against the schema of the component's bundled chart, each at its path in the values. */
export function chartValuesProblems(component: Component, values: unknown): ConfigIssue[] {
  const { schema, defaults } = chartOf(component);
  return schemaProblems(schema, withoutRemovedDefaults(values, defaults));
}
