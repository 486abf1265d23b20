import { parse as parseYaml, YAMLParseError } from 'yaml';
import { PropertyValueError } from './values.js';

/**
 * Checks for property values that carry whole documents (cloud-config, network data, Helm values):
 * they must be YAML (JSON is YAML) mappings, because the provider merges them.
 */
export function parseYamlMapping(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const line = error.linePos?.[0].line;
    const where = line === undefined ? '' : ` at line ${line} of the value`;
    throw new PropertyValueError(`${what} is not valid YAML${where}: ${error.message.split('\n')[0] ?? ''}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new PropertyValueError(`${what} must be a YAML mapping (key: value lines), not ${describeKind(value)}`);
  }
  return value as Record<string, unknown>;
}

function describeKind(value: unknown): string {
  return Array.isArray(value) ? 'a list' : `a single ${typeof value}`;
}
