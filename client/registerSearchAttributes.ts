import type { Connection } from '@temporalio/client';
import { customSearchAttributes } from '../contracts/searchAttributes.js';

// Indexed value types of the operator API (temporal.api.enums.v1.IndexedValueType).
const INDEXED_VALUE_TYPE = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 } as const;

/**
 * Registers the Machine search attributes missing from the namespace and returns their names.
 * Idempotent: attributes already present are left alone.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = customSearchAttributes.filter((key) => !(key.name in customAttributes));
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_VALUE_TYPE[key.type]])),
    });
  }
  return missing.map((key) => key.name);
}
