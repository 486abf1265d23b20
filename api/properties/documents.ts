import { parse as parseYaml, YAMLParseError } from 'yaml';
import { PropertyValueError } from './values.js';

/**
 * Checks for values that carry whole documents (cloud-config, network data, Helm values): they must
 * be YAML (JSON is YAML) mappings, because the provider merges them. Messages leave naming the field
 * to the caller's path.
 */
export function parseYamlMapping(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const line = error.linePos?.[0].line;
    const reason = yamlErrorReason(error);
    throw new PropertyValueError(
      `is not valid YAML: ${reason}${line === undefined ? '' : ` (line ${line} of the value)`}`,
    );
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'a list' : `a single ${typeof value}`;
    throw new PropertyValueError(`must be a YAML mapping (key: value lines), not ${kind}`);
  }
  return value as Record<string, unknown>;
}

/** The yaml package's message without its position and source excerpt, which we report our own way. */
export function yamlErrorReason(error: YAMLParseError): string {
  return error.message.split(/ at line \d+, column \d+/)[0]?.split('\n')[0] ?? error.code;
}
