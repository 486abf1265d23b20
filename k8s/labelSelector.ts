import type { LabelSelector } from '../api/labelSelector.js';

/**
 * The `labelSelector` query parameter for a selector (`a=b,c in (d,e),!f`), so a list is narrowed
 * on the server; matching in memory is `selectorMatches` in api/labelSelector.ts.
 */
export function labelSelectorQuery(selector: LabelSelector): string {
  const terms = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const req of selector.matchExpressions ?? []) {
    const values = (req.values ?? []).join(',');
    switch (req.operator) {
      case 'In':
        terms.push(`${req.key} in (${values})`);
        break;
      case 'NotIn':
        terms.push(`${req.key} notin (${values})`);
        break;
      case 'Exists':
        terms.push(req.key);
        break;
      case 'DoesNotExist':
        terms.push(`!${req.key}`);
        break;
    }
  }
  return terms.join(',');
}
